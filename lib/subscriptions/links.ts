// Absolute links in mails, always from APP_URL (never from a request's Host header).
import { env } from "@/lib/env";
import { tokenSecret } from "@/lib/mail/secret";
import { confirmToken, manageToken, unsubscribeToken } from "@/lib/mail/tokens";

function absolute(path: string, token: string): string {
  const url = new URL(path, env.APP_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

export function confirmUrl(subscriberId: bigint, nonce: string): string {
  return absolute("/subscribe/confirm", confirmToken(tokenSecret(), subscriberId, nonce));
}

/** The visible link: a page with a button (a GET changes nothing). */
export function unsubscribePageUrl(subscriberId: bigint): string {
  return absolute("/unsubscribe", unsubscribeToken(tokenSecret(), subscriberId));
}

/** The List-Unsubscribe target: RFC 8058 one-click POST. */
export function oneClickUnsubscribeUrl(subscriberId: bigint): string {
  return absolute("/api/unsubscribe", unsubscribeToken(tokenSecret(), subscriberId));
}

/** A digest mail's "change your digest" link: that subscriber's preferences page, for two weeks. */
export function manageDigestUrl(subscriberId: bigint): string {
  return absolute("/account/digest", manageToken(tokenSecret(), subscriberId));
}
