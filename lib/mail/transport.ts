// The one pooled SMTP transport of the process (SMTP_URL), with optional DKIM signing.
import fs from "node:fs";
import { pipeline, type Readable, Transform } from "node:stream";
import nodemailer from "nodemailer";
import type MailMessage from "nodemailer/lib/mailer/mail-message";
import { env } from "@/lib/env";

export type MailTransport = ReturnType<typeof createMailTransport>;

const globalForMail = globalThis as unknown as { trendingPapersMail?: MailTransport; trendingPapersSmtpUrl?: string };

/** Scripts that start the local mail catcher call this before the first mail. */
export function setSmtpUrl(url: string): void {
  globalForMail.trendingPapersSmtpUrl = url;
}

export function smtpUrl(): string | undefined {
  return globalForMail.trendingPapersSmtpUrl ?? env.SMTP_URL;
}

function dkim() {
  if (!env.DKIM_DOMAIN || !env.DKIM_SELECTOR || !env.DKIM_PRIVATE_KEY) return undefined;
  const key = env.DKIM_PRIVATE_KEY.includes("-----BEGIN") ? env.DKIM_PRIVATE_KEY.replace(/\\n/g, "\n") : fs.readFileSync(env.DKIM_PRIVATE_KEY, "utf8");
  // nodemailer's default signed header list includes List-Unsubscribe and List-Unsubscribe-Post.
  return { domainName: env.DKIM_DOMAIN, keySelector: env.DKIM_SELECTOR, privateKey: key };
}

/**
 * A send option for a sender that must have the last word before the server can accept a mail: the
 * message's end (and so the final dot) waits for `beforeDataEnd`, which is called once the server
 * has said go ahead to DATA on the connection carrying this copy of the message and the rest of the
 * message has gone through; a rejection fails the message stream, so the server never accepts the mail.
 */
export type DataHooks = { beforeDataEnd?: () => Promise<void> };

/** Transports that apply DataHooks (made by createMailTransport): a sender that relies on them checks. */
const hooked = new WeakSet<object>();

export function appliesDataHooks(transport: object): boolean {
  return hooked.has(transport);
}

/**
 * Puts a mail's DataHooks around its message stream, as its last stage (after any DKIM signing).
 * nodemailer builds (and buffers) the message as soon as a connection takes the mail, before the
 * envelope; the SMTP connection starts reading it only once the server has answered DATA, which
 * resumes the stream. The pool may send a message again on another connection, from a new stream.
 */
function applyDataHooks(mail: MailMessage, done: (error?: Error | null) => void): void {
  const { beforeDataEnd } = mail.data as DataHooks;
  if (beforeDataEnd) {
    const message = mail.message as unknown as { createReadStream: (...args: unknown[]) => Readable };
    const create = message.createReadStream.bind(message);
    message.createReadStream = (...args: unknown[]) => gate(create(...args), beforeDataEnd);
  }
  done();
}

/**
 * `source` unchanged, except that its end waits until the stream has been resumed (the server
 * answered DATA) and then for `beforeEnd`, whose rejection fails the stream. Destroying either
 * side destroys the other.
 */
function gate(source: Readable, beforeEnd: () => Promise<void>): Readable {
  let markResumed: () => void = () => undefined;
  const resumed = new Promise<void>((resolve) => (markResumed = resolve));
  const gated = new Transform({
    transform: (chunk, _encoding, callback) => callback(null, chunk),
    flush: (callback) => {
      resumed.then(beforeEnd).then(
        () => callback(),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  gated.once("resume", () => markResumed());
  pipeline(source, gated, () => undefined);
  return gated;
}

/** A pooled transport: `connections` SMTP connections at most, reused across mails. */
export function createMailTransport(url: string, connections = env.DIGEST_CONCURRENCY) {
  const parsed = new URL(url);
  const local = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost" || parsed.hostname === "::1";
  const transport = nodemailer.createTransport({
    pool: true,
    url,
    maxConnections: connections,
    maxMessages: Infinity,
    // A local catcher speaks plain SMTP; a relay gets STARTTLS when it offers it (smtps:// for implicit TLS).
    ignoreTLS: local && parsed.protocol === "smtp:",
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    dkim: dkim(),
  });
  transport.use("stream", applyDataHooks);
  hooked.add(transport);
  return transport;
}

export function mailTransport(): MailTransport {
  const url = smtpUrl();
  if (!url) throw new Error("SMTP_URL is not set (npm start sets it to the local mail catcher)");
  return (globalForMail.trendingPapersMail ??= createMailTransport(url));
}

export function closeMailTransport(): void {
  globalForMail.trendingPapersMail?.close();
  globalForMail.trendingPapersMail = undefined;
}

/** Whether an SMTP error is worth retrying: 4xx replies, dropped or refused connections, timeouts. */
export function isTemporaryMailError(error: unknown): boolean {
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  if (typeof responseCode === "number") return responseCode >= 400 && responseCode < 500;
  // No SMTP reply: a network problem (ECONNECTION, ETIMEDOUT, ESOCKET, ECONNREFUSED…), worth a retry;
  // a message nodemailer refuses to build (EENVELOPE, EMESSAGE) is not.
  return code !== "EENVELOPE" && code !== "EMESSAGE";
}

/**
 * Whether an SMTP error says the relay itself cannot be used right now, whatever the message or
 * address: no SMTP reply at all (refused, dropped or timed-out connection, DNS, TLS), a 421 (the
 * server is closing the channel) at any stage, or a refused login. Such a failure is no
 * delivery's fault, so it pauses sending instead of spending attempts.
 */
export function isMailOutage(error: unknown): boolean {
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  if (responseCode === 421 || code === "EAUTH") return true;
  if (typeof responseCode === "number") return false;
  // Without a reply: a network problem, unless nodemailer refused to build or stream the message.
  return code !== "EENVELOPE" && code !== "EMESSAGE" && code !== "ESTREAM";
}
