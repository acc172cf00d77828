// Email addresses as subscribers type them, normalised to one canonical form, and folded to the
// mailbox they reach for counting (pure).
import { createHash } from "node:crypto";
import { domainToASCII } from "node:url";

export type AddressResult = { ok: true; email: string } | { ok: false; error: string };

// RFC 5321 limits: 64 octets of local part, 255 of domain, 254 for the whole path.
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_ADDRESS = 254;
// The dot-atom local part of RFC 5322 (no quoted strings, no comments): what every real address uses.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Trims the input, lower-cases the domain and converts an internationalised domain to punycode.
 * The local part keeps its case (it is the receiving server's to interpret). Rejects line breaks
 * and other control characters (header injection), display names, several addresses, quoted or
 * over-long parts, and domains that are not a dotted host name.
 */
export function normalizeEmail(input: unknown): AddressResult {
  if (typeof input !== "string") return { ok: false, error: "Enter an email address." };
  const value = input.trim();
  if (value === "") return { ok: false, error: "Enter an email address." };
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(value)) return { ok: false, error: "An email address cannot contain line breaks or control characters." };
  if (value.length > 512) return { ok: false, error: "That email address is too long." };
  if (/[\s,;<>()[\]\\"]/.test(value)) return { ok: false, error: "Enter a single email address, like name@example.org." };
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1 || value.indexOf("@") !== at) return { ok: false, error: "Enter an email address like name@example.org." };
  const local = value.slice(0, at);
  const rawDomain = value.slice(at + 1);
  if (local.length > MAX_LOCAL) return { ok: false, error: `The part before @ can be at most ${MAX_LOCAL} characters.` };
  if (!LOCAL_PART.test(local)) return { ok: false, error: "The part before @ contains characters an email address cannot have." };
  const domain = domainToASCII(rawDomain.replace(/\.$/, "")).toLowerCase();
  if (!domain) return { ok: false, error: "The part after @ is not a valid domain." };
  if (domain.length > MAX_DOMAIN) return { ok: false, error: "The domain of that address is too long." };
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels.at(-1)!)) {
    return { ok: false, error: "The part after @ is not a valid domain." };
  }
  const email = `${local}@${domain}`;
  if (email.length > MAX_ADDRESS) return { ok: false, error: "That email address is too long." };
  return { ok: true, email };
}

// Providers that deliver every dotted spelling of a local part to one mailbox, and their one name.
const DOTS_IGNORED: Record<string, string> = { "gmail.com": "gmail.com", "googlemail.com": "gmail.com" };

/**
 * The mailbox an address delivers to, for counting mails per mailbox only (mail still goes to the
 * address as given): the local part lower-cased and cut at its first `+` (a subaddress tag), and
 * for Gmail its dots dropped and googlemail.com read as gmail.com. Takes what normalizeEmail returns.
 */
export function foldMailbox(email: string): string {
  const at = email.lastIndexOf("@");
  const domain = email.slice(at + 1).toLowerCase();
  let local = email.slice(0, at).toLowerCase();
  const plus = local.indexOf("+");
  if (plus >= 0) local = local.slice(0, plus);
  const folded = DOTS_IGNORED[domain];
  if (folded) local = local.replaceAll(".", "");
  return `${local}@${folded ?? domain}`;
}

/** The folded mailbox, hashed: what limits count by and what makes one person (short, and no address in it). */
export function mailboxKey(email: string): string {
  return createHash("sha256").update(foldMailbox(email)).digest("base64url");
}
