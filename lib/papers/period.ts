// Trending windows: how many days each covers and how fast a paper's points fade inside it.

export const PERIODS = {
  day: { days: 1, halfLifeDays: 1, label: "Day" },
  week: { days: 7, halfLifeDays: 3, label: "Week" },
  month: { days: 30, halfLifeDays: 7, label: "Month" },
} as const;

export type Period = keyof typeof PERIODS;

export function isPeriod(value: string): value is Period {
  return Object.hasOwn(PERIODS, value);
}
