// The links a paper offers off this site (arXiv, its code, its project page): one order, one set of
// labels and one rel policy for cards, search hits, the paper page and the digest mail (pure).
import type { ShownPaper } from "./types";

export type PaperLinkKind = "arxiv" | "code" | "project";

export type PaperLink = {
  kind: PaperLinkKind;
  href: string;
  label: string;
  rel: string;
  /** GitHub stars, on the code link only (null when unknown). */
  stars: number | null;
};

/**
 * Every one of these links leaves the site, so none gets a window handle or a referrer. Code and
 * project URLs come from the sources, not from us, so they are also nofollow: we vouch for arXiv's
 * own page only. No target: a link opens where the reader chooses, and Back still works.
 */
export const ARXIV_REL = "noopener noreferrer";
export const SOURCE_REL = "nofollow noopener noreferrer";

// Ingest accepts only http(s) URLs already; a link never carries another scheme, whatever a row says.
const WEB_URL = /^https?:\/\//i;

export type LinkedPaper = Pick<ShownPaper, "arxivUrl" | "githubRepo" | "githubStars" | "projectPage">;

/** The paper's outside links, in the order every page and mail shows them: arXiv, Code, Project page. */
export function paperLinks(paper: LinkedPaper): PaperLink[] {
  const links: PaperLink[] = [];
  if (paper.arxivUrl && WEB_URL.test(paper.arxivUrl)) {
    links.push({ kind: "arxiv", href: paper.arxivUrl, label: "arXiv", rel: ARXIV_REL, stars: null });
  }
  if (paper.githubRepo && WEB_URL.test(paper.githubRepo)) {
    links.push({ kind: "code", href: paper.githubRepo, label: "Code", rel: SOURCE_REL, stars: paper.githubStars });
  }
  if (paper.projectPage && WEB_URL.test(paper.projectPage)) {
    links.push({ kind: "project", href: paper.projectPage, label: "Project page", rel: SOURCE_REL, stars: null });
  }
  return links;
}
