// Limits on the mails a visitor can make the site send (confirmation and sign-in links), against
// mail bombing: per mailbox, per client IP, and an hourly cap on all of them together.
import { env } from "@/lib/env";
import { mailboxKey } from "@/lib/mail/address";
import { consumeLimits, type LimitCheck, type LimitRefused } from "@/lib/rate-limit";

/** Mails one mailbox (the folded address) can be sent a day, whichever flow sends them. */
export const MAILBOX_LIMIT = { points: 3, duration: 24 * 3600 } as const;

const HOURLY = "mail-hourly";

/**
 * Call before sending a confirmation or sign-in mail to `email` (as normalizeEmail returns it) for
 * a request from `ip`; send only when it answers ok. Checked before looking the address up, so a
 * refusal says nothing about the address. Per IP first, then per mailbox, then the hourly cap, so
 * requests the first two refuse do not use up everyone's cap.
 */
export function consumeMailLimits(request: { email: string; ip: string | undefined }): Promise<LimitCheck> {
  // Hashed: the table's keys stay short (an address may be 254 characters) and hold no addresses.
  const mailbox = mailboxKey(request.email);
  return consumeLimits([
    { name: "mail-ip", limit: { points: env.MAIL_LIMIT_IP, duration: 3600 }, key: request.ip },
    { name: "mail-address", limit: MAILBOX_LIMIT, key: mailbox },
    { name: HOURLY, limit: { points: env.MAIL_LIMIT_HOURLY, duration: 3600 }, key: "all" },
  ]);
}

function wait(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes >= 90 ? `about ${Math.round(minutes / 60)} hours` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** What to tell the visitor when consumeMailLimits refused; the same for every state of the address. */
export function mailLimitMessage(check: LimitRefused): string {
  if (check.reason === "unknown-key") return "We could not tell where this request came from, so we sent nothing. Please try again later.";
  if (check.limit === HOURLY) return `We are sending a lot of email just now, so we sent nothing this time. Please try again in ${wait(check.retryAfterSeconds)}.`;
  return `That is a lot of requests for email in a short time, so we sent nothing this time. Please try again in ${wait(check.retryAfterSeconds)}.`;
}
