// Log lines of the web server and the worker: `[name] message` as they have always been, or, with
// LOG_FORMAT=json, one JSON object per line (time, level, name, msg and any fields, e.g. a request id).
import { env } from "@/lib/env";

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

/** Logs at info; `.warn` and `.error` at their level. Usable wherever a `(message) => void` is asked for. */
export type Log = ((message: string, fields?: LogFields) => void) & {
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The format lines are written in (LOG_FORMAT's, read at the first line, after the env files are loaded). */
  readonly format: "text" | "json";
};

export type LogOptions = {
  /** Defaults to LOG_FORMAT (text when the configuration cannot be read, so a config error can still be told). */
  format?: "text" | "json";
  /** Where a line goes (without its newline); defaults to stdout through console.log, as before. */
  write?: (line: string) => void;
  now?: () => Date;
};

/** One line: fields never overwrite time, level, name or msg. */
export function jsonLine(entry: { time: Date; level: LogLevel; name: string; msg: string }, fields: LogFields = {}): string {
  const extra = Object.fromEntries(Object.entries(fields).filter(([key, value]) => value !== undefined && !["time", "level", "name", "msg"].includes(key)));
  return JSON.stringify({ time: entry.time.toISOString(), level: entry.level, name: entry.name, msg: entry.msg, ...extra }, (_, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value instanceof Error ? value.message : value,
  );
}

export function createLog(name: string, options: LogOptions = {}): Log {
  let known = options.format;
  // Kept once read, but not while the configuration does not parse yet (a config error is logged as text).
  const format = (): "text" | "json" => {
    if (known) return known;
    try {
      return (known = env.LOG_FORMAT);
    } catch {
      return "text";
    }
  };
  const write = options.write ?? ((line: string) => console.log(line));
  const now = options.now ?? (() => new Date());
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
    // Text mode prints what it always printed; the fields are for machines.
    write(format() === "json" ? jsonLine({ time: now(), level, name, msg: message }, fields) : `[${name}] ${message}`);
  };
  return Object.defineProperty(Object.assign(at("info"), { warn: at("warn"), error: at("error") }), "format", { get: format, enumerable: true }) as Log;
}
