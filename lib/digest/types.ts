// The shapes of a frozen digest: what the mail and the web copy show, fixed when the digest is built.

/** One paper as the digest shows it (a snapshot: later votes or edits do not change a sent digest). */
export type DigestPaper = {
  rank: number;
  /** arXiv id without version (or local-…); the paper page is `/papers/<id>`. */
  id: string;
  title: string;
  authors: string[];
  /** The full abstract as ingested (plain text, may contain TeX); mails show an excerpt. */
  abstract: string;
  categories: string[];
  votes: number;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  arxivUrl: string | null;
  /** YYYY-MM-DD */
  listedAt: string | null;
};

/** A digest's content: the day (YYYY-MM-DD) and its papers in rank order. */
export type DigestContent = { date: string; papers: DigestPaper[] };
