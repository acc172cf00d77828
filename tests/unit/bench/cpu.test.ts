import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cpuSupported, parseStat, sampleCpu } from "@/scripts/bench/cpu";

describe("benchmark CPU accounting", () => {
  it("reads ppid, process group and user + system ticks (its own and its ended children's), even when the command holds spaces and parentheses", () => {
    const stat = "4242 (next-server (v16) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 30 20 20 0 11 0 900 0 0";
    const proc = parseStat(4242, stat);
    expect(proc).toMatchObject({ pid: 4242, ppid: 17, pgrp: 4242, comm: "next-server (v16) x" });
    expect(proc?.ms).toBeCloseTo(3500, 0); // 350 ticks at 100 Hz
    expect(parseStat(1, "garbage")).toBeUndefined();
  });

  it.runIf(cpuSupported)("charges a busy child process to its group and nothing to a group without members", async () => {
    // The child spins until it has used 200 ms of CPU (however busy the machine), says so, then waits.
    const script = "while (process.cpuUsage().user < 200000); process.stdout.write('busy'); setInterval(() => {}, 1000);";
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      await new Promise((resolve, reject) => {
        child.stdout.once("data", resolve);
        child.once("exit", reject);
      });
      const sample = sampleCpu({ busy: (proc) => proc.pid === child.pid, none: () => false });
      expect(sample.busy).toBeGreaterThanOrEqual(180); // at least the 200 ms it spun, less a tick or two
      expect(sample.none).toBe(0);
      expect(sample.self).toBeGreaterThan(0);
    } finally {
      child.kill();
    }
  });
});
