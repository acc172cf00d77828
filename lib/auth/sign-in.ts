// Sign-in by email: a single-use, expiring link mailed to the address, through the same address
// rules and limits as subscribing. Asking changes nothing but the link table; confirming (a POST
// from the link's page, lib/links/confirm.ts) makes the address a person, and says which vote was
// waiting for it.
import { env } from "@/lib/env";
import { normalizeEmail } from "@/lib/mail/address";
import { consumeMailLimits, mailLimitMessage } from "@/lib/mail/limits";
import { renderSignInMail } from "@/lib/mail/render";
import { tokenSecret } from "@/lib/mail/secret";
import { newNonce, readSignInToken, signInToken, SIGN_IN_TTL_MS } from "@/lib/mail/tokens";
import { mailTransport } from "@/lib/mail/transport";
import { countEvent } from "@/lib/metrics/events";
import { paperIdFromSegments } from "@/lib/papers/identity";
import { findSignInLink, insertSignInLink, consumeSignInLink, verifyPerson } from "./store";

export type SignInRequest = { email: unknown; ip: string | undefined; votePaperId?: string; nextPath?: string };

export type SignInRequestResult =
  | { status: "check-inbox"; email: string }
  | { status: "invalid"; error: string }
  | { status: "limited"; retryAfterSeconds: number; message: string }
  | { status: "mail-failed" };

export const SIGN_IN_MAIL_FAILED = "We could not send the sign-in email just now. Please try again in a few minutes.";

export function signInCheckInbox(email: string): string {
  return `We sent a sign-in link to ${email}. Open it on this device within an hour and press the button on the page it opens.`;
}

/**
 * A path on this site to return to, or undefined: never another origin (`//host`, `/\host`, a
 * scheme), and printable ASCII only, so it is always a valid Location header.
 */
export function safeNextPath(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 500) return undefined;
  if (!/^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(value)) return undefined;
  return value;
}

export function signInUrl(linkId: bigint, nonce: string): string {
  const url = new URL("/signin/confirm", env.APP_URL);
  url.searchParams.set("token", signInToken(tokenSecret(), linkId, nonce));
  return url.toString();
}

export async function requestSignIn(input: SignInRequest): Promise<SignInRequestResult> {
  const address = normalizeEmail(input.email);
  if (!address.ok) return { status: "invalid", error: address.error };
  const email = address.email;
  const votePaperId = input.votePaperId ? (paperIdFromSegments([input.votePaperId]) ?? undefined) : undefined;
  const nextPath = safeNextPath(input.nextPath);
  const limit = await consumeMailLimits({ email, ip: input.ip });
  if (!limit.ok) {
    countEvent("mails", { kind: "sign-in", outcome: "limited" });
    return { status: "limited", retryAfterSeconds: limit.retryAfterSeconds, message: mailLimitMessage(limit) };
  }

  const nonce = newNonce();
  const link = await insertSignInLink({ email, nonce, ttlMs: SIGN_IN_TTL_MS, votePaperId: votePaperId ?? null, nextPath: nextPath ?? null });
  const mail = await renderSignInMail({ appUrl: env.APP_URL, signInUrl: signInUrl(link.id, nonce), paperTitle: link.paperTitle ?? undefined });
  try {
    // No List-Id: a sign-in link is one person's transactional mail, not the list's, and must not be filed with the digest.
    await mailTransport().sendMail({ from: env.MAIL_FROM, to: email, subject: mail.subject, html: mail.html, text: mail.text });
    countEvent("mails", { kind: "sign-in", outcome: "sent" });
  } catch (error) {
    countEvent("mails", { kind: "sign-in", outcome: "failed" });
    console.error(`sign-in: could not send to ${email}: ${(error as Error).message}`);
    return { status: "mail-failed" };
  }
  return { status: "check-inbox", email };
}

export type SignInLinkState =
  | { status: "valid"; email: string; paperTitle: string | null }
  | { status: "expired" }
  | { status: "used" }
  | { status: "invalid" };

/** What the link's page shows (a GET): read only, the link stays usable. */
export async function inspectSignIn(token: string): Promise<SignInLinkState> {
  const check = readSignInToken(tokenSecret(), token);
  if (!check.ok) return { status: check.reason === "expired" ? "expired" : "invalid" };
  const link = await findSignInLink(check.value.linkId, check.value.nonce);
  if (!link) return { status: "invalid" };
  if (link.usedAt) return { status: "used" };
  return { status: "valid", email: link.email, paperTitle: link.paperTitle };
}

export type SignInResult =
  | { status: "signed-in"; personId: bigint; email: string; nextPath: string | null; votePaperId: string | null }
  | { status: "expired" }
  | { status: "used" }
  | { status: "invalid" };

/** Uses the link (once): the address becomes a person; the vote waiting for it is the caller's to cast. */
export async function confirmSignIn(token: string): Promise<SignInResult> {
  const check = readSignInToken(tokenSecret(), token);
  if (!check.ok) return { status: check.reason === "expired" ? "expired" : "invalid" };
  const link = await consumeSignInLink(check.value.linkId, check.value.nonce);
  if (!link) {
    const state = await inspectSignIn(token);
    return { status: state.status === "valid" ? "expired" : state.status };
  }
  const personId = await verifyPerson(link.email);
  return { status: "signed-in", personId, email: link.email, nextPath: link.nextPath, votePaperId: link.votePaperId };
}
