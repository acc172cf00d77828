// Turns the email templates into subject, HTML and text: once per digest, then cheaply per subscriber.
// Server code only, but no "server-only" import: scripts and vitest load it from plain Node.
import { render } from "@react-email/render";
import { createElement, type ReactElement } from "react";
import { ConfirmEmail, type ConfirmEmailProps } from "@/emails/confirm";
import { DigestEmail, clipText, type MailEdition } from "@/emails/digest";
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

// html-to-text shouts headings by default; paper titles should read as written.
const textOptions = {
  plainText: true,
  htmlToTextOptions: { selectors: ["h1", "h2"].map((selector) => ({ selector, options: { uppercase: false } })) },
} as const;

async function renderMail(subject: string, element: ReactElement): Promise<RenderedMail> {
  const [html, text] = await Promise.all([render(element), render(element, textOptions)]);
  return { subject, html, text };
}

/**
 * A digest mail, rendered once for every subscriber it goes to: the day's digest, or a personal
 * edition (its papers say why each is there; a weekly one covers the week).
 */
export async function renderDigestMail(input: { date: string; papers: RankedPaper[]; appUrl: string; edition?: MailEdition | null }): Promise<RenderedMail> {
  const { date, appUrl, edition } = input;
  const papers = edition ? edition.papers : input.papers;
  const first = papers[0];
  const title = first ? `: ${clipText(first.title, 60)}` : "";
  const subject = !edition
    ? `Trending papers for ${formatDay(date)}${title}`
    : edition.kind === "weekly"
      ? `Your weekly papers, ${formatWindow(edition.from, edition.to)}${first ? title : ": nothing new"}`
      : `Your papers for ${formatDay(date)}${first ? title : ": nothing new"}`;
  const webUrl = new URL(`/digests/${date}`, appUrl).toString();
  return renderMail(
    subject,
    createElement(DigestEmail, { date, papers, appUrl, webUrl, unsubscribeUrl: UNSUBSCRIBE_PLACEHOLDER, manageUrl: MANAGE_PLACEHOLDER, edition: edition ?? undefined }),
  );
}

/** The rendered digest for one subscriber: every placeholder replaced by their unsubscribe and "change your digest" URLs. */
export function personalize(mail: RenderedMail, unsubscribeUrl: string, manageUrl = unsubscribeUrl): RenderedMail {
  for (const url of [unsubscribeUrl, manageUrl]) if (!SAFE_URL.test(url)) throw new Error(`A mail URL has characters that would need escaping: ${url}`);
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
