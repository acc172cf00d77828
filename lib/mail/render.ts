// Turns the email templates into subject, HTML and text: once per digest, then cheaply per subscriber.
// Server code only, but no "server-only" import: scripts and vitest load it from plain Node.
import { plainTextSelectors, render } from "@react-email/render";
import { compile } from "html-to-text";
import { createElement, type ReactElement } from "react";
import { ConfirmEmail, type ConfirmEmailProps } from "@/emails/confirm";
import { DigestEmail, PAPERS_SLOT_HTML, PAPERS_SLOT_TEXT, PaperBlock, RANK_SLOT, clipText, type EditionPaper, type MailEdition } from "@/emails/digest";
import { SignInEmail, type SignInEmailProps } from "@/emails/sign-in";
import { formatDay, formatWindow } from "@/lib/papers/format";
import type { RankedPaper } from "@/lib/papers/types";

export type RenderedMail = { subject: string; html: string; text: string };

/** Stands in for each subscriber's unsubscribe URL; URL-shaped so rendering passes it through verbatim. */
export const UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/__UNSUBSCRIBE_URL__";
/** Stands in for each subscriber's "change your digest" link. */
export const MANAGE_PLACEHOLDER = "https://manage.invalid/__MANAGE_URL__";

// Characters that need no escaping in an HTML attribute, in text, or in a List-Unsubscribe header.
const SAFE_URL = /^https?:\/\/[A-Za-z0-9:/._?=-]+$/;

// React Email's text conversion (its toPlainText: links without brackets, no images), compiled once:
// toPlainText compiles its options on every call, which costs several times the conversion itself.
// html-to-text shouts headings by default; paper titles should read as written.
const toText = compile({
  wordwrap: false,
  selectors: [...plainTextSelectors, ...["h1", "h2"].map((selector) => ({ selector, options: { uppercase: false } }))],
});

/** React renders the mail once; its text part is that HTML as text (what render's plainText option does after a second render). */
async function renderMail(subject: string, element: ReactElement): Promise<RenderedMail> {
  const html = await render(element);
  return { subject, html, text: toText(html) };
}

/**
 * Paper blocks already rendered (HTML with RANK_SLOT, and text), by paper and reasons: a day's
 * editions share most of their papers. One per sender run; bounded.
 */
export class PaperBlocks {
  private readonly blocks = new Map<string, Promise<{ html: string; text: string }>>();
  /** Blocks kept at most (a day has a few thousand papers at most). */
  private readonly max = 5_000;

  get(paper: EditionPaper, appUrl: string): Promise<{ html: string; text: string }> {
    const key = `${paper.id}\u0000${paper.reasons.join("\u0001")}`;
    let block = this.blocks.get(key);
    if (!block) {
      // React Email's render (Next's bundles refuse react-dom/server in app code), without the
      // document's doctype and the root Suspense boundary's markers: a fragment of the mail.
      block = render(createElement(PaperBlock, { paper, appUrl })).then((document) => {
        const html = document.replace(/^<!DOCTYPE[^>]*>/, "").replace(/<!--\/?\$-->/g, "");
        return { html, text: toText(html).trim() };
      });
      block.catch(() => this.blocks.delete(key));
      if (this.blocks.size >= this.max) this.blocks.delete(this.blocks.keys().next().value!);
      this.blocks.set(key, block);
    }
    return block;
  }
}

function digestSubject(date: string, papers: RankedPaper[], edition: MailEdition | null | undefined): string {
  const first = papers[0];
  const title = first ? `: ${clipText(first.title, 60)}` : "";
  if (!edition) return `Trending papers for ${formatDay(date)}${title}`;
  if (edition.kind === "weekly") return `Your weekly papers, ${formatWindow(edition.from, edition.to)}${first ? title : ": nothing new"}`;
  return `Your papers for ${formatDay(date)}${first ? title : ": nothing new"}`;
}

/**
 * A digest mail, rendered once for every subscriber it goes to: the day's digest, or a personal
 * edition (its papers say why each is there; a weekly one covers the week). An edition is its frame
 * rendered with a slot, filled with each paper's block from `blocks` (rendered once per run).
 */
export async function renderDigestMail(input: { date: string; papers: RankedPaper[]; appUrl: string; edition?: MailEdition | null; blocks?: PaperBlocks }): Promise<RenderedMail> {
  const { date, appUrl, edition } = input;
  const papers = edition ? edition.papers : input.papers;
  const subject = digestSubject(date, papers, edition);
  const webUrl = new URL(`/digests/${date}`, appUrl).toString();
  const props = { date, papers: input.papers, appUrl, webUrl, unsubscribeUrl: UNSUBSCRIBE_PLACEHOLDER, manageUrl: MANAGE_PLACEHOLDER, edition: edition ?? undefined };
  if (!edition || edition.papers.length === 0) return renderMail(subject, createElement(DigestEmail, props));
  const blocks = input.blocks ?? new PaperBlocks();
  const frame = await renderMail(subject, createElement(DigestEmail, { ...props, papersSlot: true }));
  const rendered = await Promise.all(edition.papers.map(async (paper) => ({ rank: paper.rank, ...(await blocks.get(paper, appUrl)) })));
  const html = frame.html.replace(PAPERS_SLOT_HTML, () => rendered.map((block) => block.html.replace(RANK_SLOT, `${block.rank}.`)).join(""));
  // The slot comes before anything from the subscriber (their follows' names in "and more"): the first occurrence is it.
  const text = frame.text.replace(PAPERS_SLOT_TEXT, () => rendered.map((block) => `${block.rank}. ${block.text}`).join("\n\n"));
  if (html === frame.html || text === frame.text) throw new Error("the digest frame has no slot for its papers");
  return { subject, html, text };
}

/** A URL put in place of a placeholder goes in as is: it must need no escaping in HTML, text or a header. */
export function checkMailUrl(url: string): void {
  if (!SAFE_URL.test(url)) throw new Error(`A mail URL has characters that would need escaping: ${url}`);
}

/** The rendered digest for one subscriber: every placeholder replaced by their unsubscribe and "change your digest" URLs. */
export function personalize(mail: RenderedMail, unsubscribeUrl: string, manageUrl = unsubscribeUrl): RenderedMail {
  for (const url of [unsubscribeUrl, manageUrl]) checkMailUrl(url);
  const fill = (part: string) => part.split(UNSUBSCRIBE_PLACEHOLDER).join(unsubscribeUrl).split(MANAGE_PLACEHOLDER).join(manageUrl);
  return { subject: mail.subject, html: fill(mail.html), text: fill(mail.text) };
}

export async function renderConfirmMail(input: ConfirmEmailProps): Promise<RenderedMail> {
  const subject = input.alreadySubscribed
    ? "You are already subscribed to Trending Papers"
    : "Confirm your Trending Papers subscription";
  return renderMail(subject, createElement(ConfirmEmail, input));
}

export async function renderSignInMail(input: SignInEmailProps): Promise<RenderedMail> {
  return renderMail("Your Trending Papers sign-in link", createElement(SignInEmail, input));
}
