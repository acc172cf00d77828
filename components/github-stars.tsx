// "★ 1.2k" after a code link, read by screen readers as ", 1.2k GitHub stars".
import { formatCompact } from "@/lib/papers/format";

export function GithubStars({ stars }: { stars: number | null }) {
  if (stars === null) return null;
  return (
    <span className="stars">
      <span aria-hidden="true"> ★ </span>
      <span className="sr-only">, </span>
      {formatCompact(stars)}
      <span className="sr-only"> GitHub stars</span>
    </span>
  );
}
