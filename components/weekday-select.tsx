// The day a weekly digest comes on, for the subscribe form and Your digest.
import { WEEKDAYS } from "@/lib/subscriptions/preferences";

export function WeekdaySelect({ name, value, onChange }: { name?: string; value: number; onChange: (day: number) => void }) {
  return (
    <select name={name} aria-label="Day of the week" value={value} onChange={(event) => onChange(Number(event.target.value))}>
      {WEEKDAYS.map((day, index) => (
        <option key={day} value={index}>
          {day}
        </option>
      ))}
    </select>
  );
}
