// The logger: text lines as before, or one JSON object per line with time, level, name and msg.
import { describe, expect, it } from "vitest";
import { createLog, jsonLine } from "@/lib/log";

const TIME = new Date("2026-06-16T07:00:00.000Z");

function capture(format: "text" | "json") {
  const lines: string[] = [];
  const log = createLog("web", { format, write: (line) => lines.push(line), now: () => TIME });
  return { log, lines };
}

describe("the logger", () => {
  it("writes text lines exactly as the servers always did, without the fields", () => {
    const { log, lines } = capture("text");
    log("listening on every interface, port 3000");
    log.error("request failed: boom", { requestId: "r-1" });
    expect(lines).toEqual(["[web] listening on every interface, port 3000", "[web] request failed: boom"]);
  });

  it("writes one JSON object per line with time, level, name, msg and the fields", () => {
    const { log, lines } = capture("json");
    log("request", { requestId: "r-1", status: 200, ms: 3.5, cache: undefined });
    log.warn("slow", { id: 12n });
    log.error("request failed: boom\nsecond line", { requestId: "r-2", error: new Error("inner") });
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: "2026-06-16T07:00:00.000Z", level: "info", name: "web", msg: "request", requestId: "r-1", status: 200, ms: 3.5 },
      { time: "2026-06-16T07:00:00.000Z", level: "warn", name: "web", msg: "slow", id: "12" },
      { time: "2026-06-16T07:00:00.000Z", level: "error", name: "web", msg: "request failed: boom\nsecond line", requestId: "r-2", error: "inner" },
    ]);
  });

  it("never lets a field overwrite time, level, name or msg", () => {
    const line = JSON.parse(jsonLine({ time: TIME, level: "info", name: "worker", msg: "digest: sent" }, { level: "debug", msg: "forged", time: 0, name: "x", queue: "daily-digest" }));
    expect(line).toEqual({ time: "2026-06-16T07:00:00.000Z", level: "info", name: "worker", msg: "digest: sent", queue: "daily-digest" });
  });

  it("says which format it writes", () => {
    expect(capture("json").log.format).toBe("json");
    expect(capture("text").log.format).toBe("text");
  });
});
