// Human-readable report of an ingest run: what was read and what became of every record.
import type { IngestSummary } from "./run-ingest";

const SHOWN_REJECTIONS = 20;

export function formatSummary(summary: IngestSummary): string {
  const lines: string[] = [];
  for (const notice of summary.notices) lines.push(`note: ${notice}`);
  if (summary.rejections.length > 0) {
    lines.push(`rejected records:`);
    for (const rejection of summary.rejections.slice(0, SHOWN_REJECTIONS)) {
      lines.push(`  ${rejection.location}: ${rejection.reason}`);
    }
    const more = summary.rejected - Math.min(summary.rejections.length, SHOWN_REJECTIONS);
    if (more > 0) lines.push(`  … and ${more} more (all kept in ingest_run ${summary.runId})`);
  }
  lines.push(
    `ingest: ${summary.files ? `${summary.files} files, ` : ""}${summary.read} read, ${summary.inserted} inserted, ${summary.updated} updated, ` +
      `${summary.unchanged} unchanged, ${summary.rejected} rejected (run ${summary.runId})`,
  );
  return lines.join("\n");
}
