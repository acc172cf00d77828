// Figures the benchmarks share: percentiles of sorted samples.

/** The p-th quantile (0..1) of ascending samples, by the nearest rank; NaN without samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
