// Who runs a service on a data folder: the owner process as the kernel knows it (/proc), and a start lock so two starters never both start one.
import fs from "node:fs";
import path from "node:path";

/** A process, told apart from a later one given the same pid: its start time since boot, and the boot. */
export type ProcessIdentity = { pid: number; startTicks: string; bootId: string };

function bootId(): string {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
}

/** The state letter and start time of `pid` from /proc/<pid>/stat (the command name may hold spaces and parentheses). */
function stat(pid: number): { state: string; startTicks: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // After the name: state is field 3 of stat(5), starttime field 22.
    const state = fields[0];
    const startTicks = fields[19];
    return state && startTicks ? { state, startTicks } : undefined;
  } catch {
    return undefined;
  }
}

/** `pid` as it runs now, or undefined when no such process runs (a zombie has ended: it only awaits its parent). */
export function processIdentity(pid: number): ProcessIdentity | undefined {
  const found = stat(pid);
  if (!found || found.state === "Z" || found.state === "X") return undefined;
  return { pid, startTicks: found.startTicks, bootId: bootId() };
}

/** Is the very process `identity` names still running (stopped with SIGSTOP counts: it holds its files)? */
export function isRunning(identity: ProcessIdentity): boolean {
  const now = processIdentity(identity.pid);
  return now !== undefined && now.startTicks === identity.startTicks && now.bootId === identity.bootId;
}

export function isProcessIdentity(value: unknown): value is ProcessIdentity {
  const candidate = value as Partial<ProcessIdentity> | null;
  return typeof candidate?.pid === "number" && typeof candidate.startTicks === "string" && typeof candidate.bootId === "string";
}

/** The arguments of `pid`, or undefined when it is gone or hidden. */
export function processArguments(pid: number): string[] | undefined {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    if (args.at(-1) === "") args.pop(); // each argument ends with a NUL
    return args;
  } catch {
    return undefined;
  }
}

/** Every running process whose arguments `match` accepts: finds an owner no record names (an older version's, one started by hand). */
export function findProcesses(match: (args: string[]) => boolean): ProcessIdentity[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  const found: ProcessIdentity[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const args = processArguments(pid);
    if (!args || !match(args)) continue;
    const identity = processIdentity(pid);
    if (identity) found.push(identity);
  }
  return found;
}

function readHolder(file: string): ProcessIdentity | undefined {
  const text = readText(file);
  try {
    const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
    return isProcessIdentity(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Creates `file` exclusively, naming `me`; false when it exists. */
function createLock(file: string, me: ProcessIdentity): boolean {
  try {
    const fd = fs.openSync(file, "wx", 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(me));
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  }
}

/** A lock nobody holds any more: its holder has died, or it stayed unreadable for a few seconds (a crash while writing it). */
function isStale(file: string): boolean {
  const holder = readHolder(file);
  if (holder) return !isRunning(holder);
  const modified = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  return modified !== undefined && Date.now() - modified > 5_000;
}

/**
 * Removes the lock at `file` if it still reads `seen` (the text of a lock found stale), and says
 * whether it did. Two starters that found the same dead holder would otherwise both remove "it",
 * the second one removing the lock the first had just created, and both start. So removing takes
 * a second lock (`<file>.takeover`), and under it the lock is read again: the second starter finds
 * the first one's lock and leaves it. A takeover lock left by a starter that died is itself stale.
 */
export function removeStaleLock(file: string, seen: string | undefined, me: ProcessIdentity): boolean {
  const takeover = `${file}.takeover`;
  if (!createLock(takeover, me)) {
    if (isStale(takeover)) fs.rmSync(takeover, { force: true });
    return false;
  }
  try {
    if (readText(file) !== seen || !isStale(file)) return false;
    fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(takeover, { force: true });
  }
}

/**
 * Runs `work` holding `file`, created exclusively and naming this process: two processes deciding
 * at once whether to start a server on one folder take turns. A lock whose holder has died (or
 * that stayed unreadable for a few seconds, a crash while writing it) is removed and taken
 * (removeStaleLock).
 */
export async function withStartLock<T>(file: string, work: () => Promise<T>, options: { waitMs?: number; what?: string } = {}): Promise<T> {
  const me = processIdentity(process.pid) ?? { pid: process.pid, startTicks: "", bootId: "" };
  const deadline = Date.now() + (options.waitMs ?? 90_000);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  while (!createLock(file, me)) {
    const seen = readText(file);
    if (isStale(file) && removeStaleLock(file, seen, me)) continue;
    if (Date.now() > deadline) {
      throw new Error(`${options.what ?? "Another process"} has been starting for too long (pid ${readHolder(file)?.pid ?? "unknown"}, lock ${file}).`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await work();
  } finally {
    // Removed only while it still names this process.
    if (readHolder(file)?.pid === me.pid) fs.rmSync(file, { force: true });
  }
}
