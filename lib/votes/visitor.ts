// The anonymous visitor behind votes: a random id in an httpOnly, SameSite cookie, signed with the
// instance's token secret so a visitor cannot pose as another by editing the cookie. No account,
// no personal data: the id says only "the same browser as before".
import { randomBytes } from "node:crypto";
import { sign, verify } from "@/lib/mail/tokens";

export const VISITOR_COOKIE = "tp_visitor";
/** A year: votes stay toggleable from the same browser. */
export const VISITOR_MAX_AGE_SECONDS = 365 * 24 * 3600;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function newVisitorId(): string {
  return randomBytes(16).toString("base64url");
}

/** The cookie value for a visitor id: `<id>.<signature>`. */
export function visitorCookieValue(secret: string, id: string): string {
  return `${id}.${sign(secret, `visitor:${id}`)}`;
}

/** The visitor id in a cookie value, or null when it is missing, malformed or not signed by us. */
export function readVisitorCookie(secret: string, value: string | undefined): string | null {
  if (!value) return null;
  const [id, signature, extra] = value.split(".");
  if (!id || !signature || extra !== undefined || !ID_PATTERN.test(id)) return null;
  return verify(secret, `visitor:${id}`, signature) ? id : null;
}

/** Cookie attributes: httpOnly (scripts never see it), SameSite=Lax, Secure on an https site. */
export function visitorCookieOptions(appUrl: string) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: appUrl.startsWith("https:"),
    path: "/",
    maxAge: VISITOR_MAX_AGE_SECONDS,
  };
}

/** A Set-Cookie header giving a new visitor an id (anonymous voting: set by pages, never by a vote). */
export function newVisitorSetCookie(secret: string, appUrl: string): string {
  const options = visitorCookieOptions(appUrl);
  return `${VISITOR_COOKIE}=${visitorCookieValue(secret, newVisitorId())}; Path=/; Max-Age=${options.maxAge}; HttpOnly; SameSite=Lax${options.secure ? "; Secure" : ""}`;
}

/** The value of one cookie in a Cookie header. */
export function cookieFromHeader(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
