// Maps one record of the Kaggle arXiv metadata dump (arxiv-metadata-oai-snapshot) to a paper candidate.
import { normalizeArxivId } from "@/lib/papers/identity";
import { candidate, LISTED_RANK, type ParseEvent } from "../paper";
import { collapse, isObject, text, toInstant, type Json } from "./fields";


/**
 * listedAt is the UTC day of the first version's submission. That approximates the announcement
 * day (arXiv announces a day or so later, skipping weekends), which is as close as the dump gets.
 */
export function mapKaggleRecord(record: unknown, location: string): ParseEvent {
  if (!isObject(record)) return { kind: "reject", location, reason: "record is not a JSON object" };
  const rawId = text(record.id);
  if (!rawId) return { kind: "reject", location, reason: "missing id" };
  const title = collapse(text(record.title) ?? "");
  if (!title) return { kind: "reject", location, reason: "missing title" };

  const versions = Array.isArray(record.versions) ? record.versions.filter(isObject) : [];
  const firstCreated = versions[0]?.created;
  const publishedAt = toInstant(firstCreated);
  if (publishedAt === "invalid") {
    return { kind: "reject", location, reason: `versions[0].created is not a date: ${JSON.stringify(firstCreated)}` };
  }

  return {
    kind: "record",
    location,
    candidate: candidate({
      // Old-style ids keep their slash ("hep-th/9901001"); one we cannot normalize goes to validation as is.
      id: normalizeArxivId(rawId) ?? rawId.trim(),
      title,
      // The dump hard-wraps title and abstract and indents the abstract: one space is what they mean.
      abstract: collapse(text(record.abstract) ?? ""),
      authors: authorNames(record),
      categories: text(record.categories)?.split(/\s+/).filter(Boolean) ?? null,
      comment: optionalText(record.comments),
      journalRef: optionalText(record["journal-ref"]),
      doi: optionalText(record.doi),
      license: optionalText(record.license),
      publishedAt,
      sourceUpdatedAt: updatedAt(record.update_date, versions.at(-1)?.created),
      listedAt: publishedAt ? publishedAt.slice(0, 10) : null,
      listedRank: LISTED_RANK.arxiv,
      source: "arxiv-kaggle",
      externalId: rawId,
    }),
  };
}

/** authors_parsed holds [last, first, suffix, affiliation?] with accents already decoded; `authors` is LaTeX. */
function authorNames(record: Json): string[] {
  if (Array.isArray(record.authors_parsed) && record.authors_parsed.length > 0) {
    return record.authors_parsed
      .map((parts: unknown) => {
        if (!Array.isArray(parts)) return "";
        const [last, first, suffix] = parts.map((part: unknown) => (typeof part === "string" ? part : ""));
        return collapse([first, last, suffix].filter(Boolean).join(" "));
      })
      .filter(Boolean);
  }
  const authors = text(record.authors);
  if (!authors) return [];
  return authors
    .split(/\s*,\s*|\s+and\s+/)
    .map(collapse)
    .filter(Boolean);
}

/** update_date is a bare day; it becomes midnight UTC. A missing or bad one falls back to the last version. */
function updatedAt(updateDate: unknown, lastCreated: unknown): string | null {
  if (typeof updateDate === "string" && /^\d{4}-\d{2}-\d{2}$/.test(updateDate)) {
    const instant = toInstant(`${updateDate}T00:00:00Z`);
    if (instant && instant !== "invalid" && instant.startsWith(updateDate)) return instant;
  }
  const fallback = toInstant(lastCreated);
  return fallback === "invalid" ? null : fallback;
}

function optionalText(value: unknown): string | null {
  const present = text(value);
  return present === null ? null : collapse(present);
}

