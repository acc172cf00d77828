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
    const child = spawn(process.execPath, ["-e", "const end = Date.now() + 400; while (Date.now() < end);"], { stdio: "ignore" });
    const groups = { busy: (proc: { pid: number }) => proc.pid === child.pid, none: () => false };
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sample = sampleCpu(groups);
    await exited;
    expect(sample.busy).toBeGreaterThan(50);
    expect(sample.none).toBe(0);
    expect(sample.self).toBeGreaterThan(0);
  });
});
