// The sources a paper record can come from, and how pages name them.

/** Where a record came from; stored per paper in paper_source. */
export const SOURCES = ["hf-daily", "arxiv-kaggle", "hf-search-page", "arxiv-oai", "arxiv-api"] as const;
export type SourceName = (typeof SOURCES)[number];

const SOURCE_LABELS: Record<SourceName, string> = {
  "hf-daily": "Hugging Face daily papers",
  "arxiv-kaggle": "arXiv metadata (Kaggle snapshot)",
  "hf-search-page": "Hugging Face Papers search page",
  "arxiv-oai": "arXiv OAI-PMH",
  "arxiv-api": "arXiv API",
};

export function isSourceName(source: string): source is SourceName {
  return (SOURCES as readonly string[]).includes(source);
}

/** "hf-daily" -> "Hugging Face daily papers"; a name this version does not know is shown as it is. */
export function sourceLabel(source: string): string {
  return isSourceName(source) ? SOURCE_LABELS[source] : source;
}
