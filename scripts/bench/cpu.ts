// CPU time (user + system, all threads) of the processes a benchmark runs, read from Linux's /proc:
// where a query's CPU goes when the machine is saturated. Elsewhere the probe reports nothing.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

export type Proc = { pid: number; ppid: number; pgrp: number; comm: string; ms: number; cmdline: () => string };

/** Which processes make up each part, e.g. { next: (p) => p.pgrp === child.pid }. */
export type ProcessGroups = Record<string, (proc: Proc, all: Proc[]) => boolean>;

/** The group of a Postgres started on a data folder under `tmp`: its postmaster (started with -D there) and its backends. */
export function postgresUnder(tmp: string): ProcessGroups[string] {
  return (proc, all) => {
    const master = all.find((candidate) => candidate.comm === "postgres" && candidate.cmdline().includes(tmp));
    return master !== undefined && (proc.pid === master.pid || proc.ppid === master.pid);
  };
}

/** CPU ms so far per group name, plus `self` for this process. */
export type CpuSample = Record<string, number>;

const TICK_MS = (() => {
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim());
  return 1000 / (Number.isFinite(ticks) && ticks > 0 ? ticks : 100);
})();

export const cpuSupported = fs.existsSync("/proc/self/stat");

/** One line of /proc/<pid>/stat: the command sits in parentheses and may itself hold spaces and ")". */
export function parseStat(pid: number, stat: string): Omit<Proc, "cmdline"> | undefined {
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  const comm = stat.slice(stat.indexOf("(") + 1, close);
  // Fields after the command, from field 3 (state): ppid is 4, pgrp 5, utime 14, stime 15, and the
  // time of its children that ended and were waited for, cutime 16 and cstime 17. Counting those
  // keeps a group's total from dropping when a member ends (Postgres backends come and go).
  const fields = stat.slice(close + 2).split(" ");
  const at = (field: number) => Number(fields[field - 3]);
  return { pid, ppid: at(4), pgrp: at(5), comm, ms: (at(14) + at(15) + at(16) + at(17)) * TICK_MS };
}

function processes(): Proc[] {
  const found: Proc[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const proc = parseStat(pid, fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
      if (!proc) continue;
      let cmdline: string | undefined;
      found.push({
        ...proc,
        cmdline: () => (cmdline ??= (() => {
          try {
            return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
          } catch {
            return "";
          }
        })()),
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

/** CPU ms each group has used so far (a process that ended takes its time with it). */
export function sampleCpu(groups: ProcessGroups): CpuSample {
  const usage = process.cpuUsage();
  const sample: CpuSample = { self: (usage.user + usage.system) / 1000 };
  if (!cpuSupported) return sample;
  const all = processes();
  for (const [name, member] of Object.entries(groups)) {
    sample[name] = all.filter((proc) => proc.pid !== process.pid && member(proc, all)).reduce((sum, proc) => sum + proc.ms, 0);
  }
  return sample;
}

/** `total += after - before`, per group. */
export function addCpu(total: CpuSample, before: CpuSample, after: CpuSample): void {
  for (const name of Object.keys(after)) total[name] = (total[name] ?? 0) + after[name]! - (before[name] ?? 0);
}

/** Every process on the machine now, with the CPU ms it has used so far. */
export function snapshotProcesses(): Proc[] {
  return cpuSupported ? processes() : [];
}

/**
 * CPU ms each command outside `groups` (and outside this process and its ancestors) used between two snapshots, most
 * first: what else ran on the machine meanwhile. Processes that ended in between are not counted
 * (unless their parent waited for them: then their time is in the parent's).
 */
export function otherCpu(before: Proc[], after: Proc[], groups: ProcessGroups): { comm: string; ms: number; processes: number }[] {
  const earlier = new Map(before.map((proc) => [proc.pid, proc]));
  // This process and its ancestors (npm, tsx, a shell): a parent's time grows when it reaps a child.
  const ours = new Set<number>();
  const byPid = new Map(after.map((proc) => [proc.pid, proc]));
  for (let pid: number | undefined = process.pid; pid && !ours.has(pid); pid = byPid.get(pid)?.ppid) ours.add(pid);
  const byCommand = new Map<string, { ms: number; processes: number }>();
  for (const proc of after) {
    if (ours.has(proc.pid) || Object.values(groups).some((member) => member(proc, after))) continue;
    const previous = earlier.get(proc.pid);
    const used = proc.ms - (previous && previous.comm === proc.comm ? previous.ms : 0);
    if (used <= 0) continue;
    const entry = byCommand.get(proc.comm) ?? { ms: 0, processes: 0 };
    entry.ms += used;
    entry.processes += 1;
    byCommand.set(proc.comm, entry);
  }
  return [...byCommand].map(([comm, entry]) => ({ comm, ...entry })).sort((a, b) => b.ms - a.ms);
}
