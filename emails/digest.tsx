// The digest mail: the day's top papers, each with a short excerpt and its links; or a subscriber's
// own edition (their topics and follows, daily or weekly), each paper saying why it is there.
import { Body, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties } from "react";
import { formatCompact, formatDay, formatWindow, pluralize, shortAuthors } from "@/lib/papers/format";
import { paperLinks } from "@/lib/papers/links";
import { paperPath } from "@/lib/papers/identity";
import type { RankedPaper, ShownPaper } from "@/lib/papers/types";

export type EditionKind = "daily" | "weekly";

/** A paper in a personal edition, with why it is there ("in cs.RO", "matches “diffusion”", "by Ada Lovelace"). */
export type EditionPaper = RankedPaper & { reasons: string[] };

/** Matches of one follow beyond the papers shown, with where to see them all (a path on this site). */
export type MoreMatches = { label: string; count: number; searchPath: string };

/** A personal edition: the window [from, to] its papers come from. */
export type MailEdition = { kind: EditionKind; from: string; to: string; papers: EditionPaper[]; more: MoreMatches[] };

export type DigestEmailProps = {
  /** YYYY-MM-DD */
  date: string;
  papers: RankedPaper[];
  appUrl: string;
  /** Absolute URL of /digests/<date>. */
  webUrl: string;
  unsubscribeUrl: string;
  /** The subscriber's "change your digest" link. */
  manageUrl?: string;
  /** A personal edition: its papers replace `papers`. */
  edition?: MailEdition;
  /**
   * Leave a slot (PAPERS_SLOT) where the papers go, for a renderer that assembles each paper's
   * block rendered once (PaperBlock): most papers of a day are in many editions.
   */
  papersSlot?: boolean;
};

/** Where the papers go in a mail rendered with `papersSlot`: a comment no escaped text can make. */
export const PAPERS_SLOT = "<!--tp:papers-->";
/** What the slot turns into in the text part. */
export const PAPERS_SLOT_TEXT = "tp:papers-slot";
/** The slot's markup in a frame (a paragraph, so the text part keeps PAPERS_SLOT_TEXT). */
export const PAPERS_SLOT_HTML = `${PAPERS_SLOT}<p>${PAPERS_SLOT_TEXT}</p>`;
/** Where a block's rank goes (PaperBlock), in the HTML; the text part gets it in front of its first line. */
export const RANK_SLOT = "<!--tp:rank-->";

/** Collapses whitespace and cuts before the word that would cross `max` characters, marking the cut with "…". */
export function clipText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const boundary = flat[max - 1] === " " ? cut.length : cut.lastIndexOf(" ");
  // One word longer than the limit is cut inside the word rather than dropped.
  const head = boundary > 0 ? cut.slice(0, boundary) : cut;
  return `${head.replace(/[\s,;:.]+$/, "")}…`;
}

/** A few lines of an abstract for the mail; the paper page has the rest. */
export function abstractExcerpt(text: string, max = 280): string {
  return clipText(text, max);
}

export function DigestEmail({ date, papers, appUrl, webUrl, unsubscribeUrl, manageUrl, edition, papersSlot }: DigestEmailProps) {
  const day = formatDay(date);
  const shown: (RankedPaper & { reasons?: string[] })[] = edition ? edition.papers : papers;
  const lead = shown.length === 1 ? "The paper" : `The ${shown.length} papers`;
  const heading = !edition ? `Trending papers · ${day}` : edition.kind === "weekly" ? `Your week in papers · ${formatWindow(edition.from, edition.to)}` : `Your papers · ${day}`;
  const preview = !edition
    ? `${lead} researchers upvoted most on ${day}`
    : shown.length === 0
      ? "Nothing new matched your topics and follows"
      : `${pluralize(shown.length, "paper")} for your topics and follows`;
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section style={styles.header}>
            <Heading as="h1" style={styles.h1}>
              {heading}
            </Heading>
            <Text style={styles.muted}>
              {!edition ? (
                <>
                  {lead} researchers upvoted most. <Link href={webUrl} style={styles.link}>View in browser</Link>
                </>
              ) : shown.length === 0 ? (
                "Nothing new matched your topics and follows this time."
              ) : (
                <>The top papers in your topics, then new papers that match what you follow.</>
              )}
            </Text>
          </Section>
          {papersSlot ? (
            // A constant marker, never content: the renderer replaces it with the papers' blocks.
            <div dangerouslySetInnerHTML={{ __html: PAPERS_SLOT_HTML }} />
          ) : (
            shown.map((paper) => <PaperItem key={paper.id} paper={paper} appUrl={appUrl} />)
          )}
          {edition && edition.more.length > 0 && (
            <Section style={styles.paper}>
              {edition.more.map((more) => (
                <Text key={more.label} style={styles.meta}>
                  And {pluralize(more.count, "more paper")} for “{more.label}”:{" "}
                  <Link href={new URL(more.searchPath, appUrl).toString()} style={styles.link}>
                    see them all
                  </Link>
                </Text>
              ))}
            </Section>
          )}
          <Hr style={styles.hr} />
          <Section style={styles.footer}>
            <Text style={styles.small}>
              {edition
                ? `You get this because you subscribed to ${edition.kind === "weekly" ? "a weekly" : "a daily"} Trending Papers digest with your own topics at ${new URL(appUrl).host}.`
                : `You get this because you subscribed to the daily Trending Papers digest at ${new URL(appUrl).host}.`}
            </Text>
            <Text style={styles.small}>
              {manageUrl && (
                <>
                  <Link href={manageUrl} style={styles.footerLink}>Change your topics and schedule</Link>
                  {" · "}
                </>
              )}
              <Link href={unsubscribeUrl} style={styles.footerLink}>Unsubscribe</Link>
              {" · "}
              <Link href={appUrl} style={styles.footerLink}>Trending Papers</Link>
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

/** One paper's block with its rank left as RANK_SLOT, to render once and use in every edition that has it. */
export function PaperBlock({ paper, appUrl }: { paper: ShownPaper & { reasons?: string[] }; appUrl: string }) {
  return <PaperItem paper={{ ...paper, rank: 0 }} appUrl={appUrl} rankSlot />;
}

function PaperItem({ paper, appUrl, rankSlot }: { paper: RankedPaper & { reasons?: string[] }; appUrl: string; rankSlot?: boolean }) {
  const authors = shortAuthors(paper.authors);
  return (
    <Section style={styles.paper}>
      <Heading as="h2" style={styles.h2}>
        {rankSlot ? <span style={styles.rank} dangerouslySetInnerHTML={{ __html: RANK_SLOT }} /> : <span style={styles.rank}>{paper.rank}.</span>}{" "}
        <Link href={new URL(paperPath(paper.id), appUrl).toString()} style={styles.titleLink}>
          {paper.title}
        </Link>
      </Heading>
      {authors.names.length > 0 && (
        <Text style={styles.authors}>
          {authors.names.join(", ")}
          {authors.more > 0 && ` +${authors.more} more`}
        </Text>
      )}
      {paper.reasons && paper.reasons.length > 0 && <Text style={styles.reasons}>{paper.reasons.join(" · ")}</Text>}
      {paper.abstract && <Text style={styles.abstract}>{abstractExcerpt(paper.abstract)}</Text>}
      <Text style={styles.meta}>
        ▲ {pluralize(paper.votes, "vote")}
        {paperLinks(paper).map((link) => (
          <span key={link.kind}>
            {" · "}
            <Link href={link.href} rel={link.rel} style={styles.link}>
              {link.stars === null ? link.label : `${link.label} ★ ${formatCompact(link.stars)}`}
            </Link>
          </span>
        ))}
      </Text>
    </Section>
  );
}

const accent = "#4f46e5";
const fontFamily = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

const styles = {
  body: { backgroundColor: "#f3f4f6", color: "#111827", fontFamily, margin: 0, padding: "16px 0" },
  container: { backgroundColor: "#ffffff", maxWidth: "600px", width: "100%", padding: "24px 20px", borderRadius: "8px" },
  header: { marginBottom: "8px" },
  h1: { fontSize: "22px", lineHeight: "28px", margin: "0 0 4px", color: "#111827" },
  h2: { fontSize: "17px", lineHeight: "23px", margin: "0 0 4px" },
  muted: { fontSize: "14px", lineHeight: "20px", color: "#4b5563", margin: 0 },
  paper: { padding: "16px 0", borderTop: "1px solid #e5e7eb" },
  rank: { color: accent, fontWeight: 700 },
  titleLink: { color: "#111827", textDecoration: "none" },
  authors: { fontSize: "14px", lineHeight: "20px", color: "#4b5563", margin: "0 0 6px" },
  reasons: { fontSize: "13px", lineHeight: "18px", color: accent, fontWeight: 600, margin: "0 0 6px" },
  abstract: { fontSize: "15px", lineHeight: "22px", color: "#1f2937", margin: "0 0 8px" },
  meta: { fontSize: "14px", lineHeight: "20px", color: "#374151", margin: 0 },
  link: { color: accent, textDecoration: "underline" },
  hr: { borderColor: "#e5e7eb", margin: "8px 0 16px" },
  footer: { color: "#4b5563" },
  small: { fontSize: "13px", lineHeight: "19px", color: "#4b5563", margin: "0 0 6px" },
  footerLink: { color: "#4b5563", textDecoration: "underline" },
} satisfies Record<string, CSSProperties>;

DigestEmail.PreviewProps = {
  date: "2026-06-16",
  appUrl: "http://localhost:3000",
  webUrl: "http://localhost:3000/digests/2026-06-16",
  unsubscribeUrl: "http://localhost:3000/unsubscribe?token=preview",
  papers: [
    {
      rank: 1,
      id: "2406.01234",
      title: "Scaling Laws for Sparse Mixture-of-Experts Language Models",
      authors: ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"],
      abstract:
        "We study how the loss of sparse mixture-of-experts language models scales with the number of experts, the number of active parameters and the training budget. Across 120 training runs we find a simple power law that predicts held-out loss within 2% and suggests that, at fixed compute, more experts help up to a point.",
      categories: ["cs.CL", "cs.LG"],
      votes: 128,
      githubRepo: "https://github.com/example/moe-scaling",
      githubStars: 1240,
      projectPage: null,
      arxivUrl: "https://arxiv.org/abs/2406.01234",
      listedAt: "2026-06-16",
    },
  ],
} satisfies DigestEmailProps;

export default DigestEmail;
