// Resident memory of one process, from Linux's /proc/<pid>/status: sampled while a benchmark loads it, and
// the kernel's own high-water mark (VmHWM, the peak over the process's whole life). Elsewhere nothing is read.
import fs from "node:fs";

/** A field of /proc/<pid>/status in MB (VmRSS, VmHWM), or undefined when it cannot be read. */
export function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export type RssWatch = {
  /** The highest VmRSS since the previous mark (or the start), then starts the next stretch. */
  mark(): number;
  stop(): { peakMb: number; samples: number };
};

/** Samples VmRSS every `everyMs` until stopped; the timer does not keep the process alive. */
export function watchRss(pid: number, everyMs = 100): RssWatch {
  let peakMb = 0;
  let stretchMb = 0;
  let samples = 0;
  const sample = () => {
    const mb = statusMb(pid, "VmRSS");
    if (mb === undefined) return;
    samples++;
    peakMb = Math.max(peakMb, mb);
    stretchMb = Math.max(stretchMb, mb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    mark() {
      sample();
      const peak = stretchMb;
      stretchMb = 0;
      return peak;
    },
    stop() {
      clearInterval(timer);
      sample();
      return { peakMb, samples };
    },
  };
}
