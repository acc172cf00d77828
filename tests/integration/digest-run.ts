// Running a digest in a test: through a pooled transport of its own to the test SMTP server, with
// quick retries; and reading what arrived (the server's own `to(email)` gives the mails to an address).
import { runDigest } from "@/lib/digest/run";
import { createMailTransport } from "@/lib/mail/transport";
import type { Received } from "./smtp";

/** runDigest with `options` (date included), retries 20 ms apart unless given, and its transport closed after. */
export async function sendDigestTo(smtpUrl: string, options: Omit<NonNullable<Parameters<typeof runDigest>[0]>, "transport">) {
  const transport = createMailTransport(smtpUrl, options.concurrency ?? 3);
  try {
    return await runDigest({ retryMs: 20, ...options, transport });
  } finally {
    transport.close();
  }
}

/** The paper ids a digest mail links to, in order. */
export const paperIds = (mail: Received) => [...String(mail.html).matchAll(/\/papers\/(\d{4}\.\d{5})"/g)].map((match) => match[1]!);
