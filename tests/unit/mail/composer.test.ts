// The composer thread builds the very message nodemailer's own transports build from the same options.
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import { ComposerStoppedError, MailComposerThread } from "@/lib/mail/composer";

const mail = {
  from: "Trending Papers <digest@papers.example.org>",
  to: "reader@example.org",
  subject: "Your papers for Tuesday, 16 June 2026: Attention Sinks in “Long” Contexts",
  // Long lines and non-ASCII: the parts need quoted-printable, as a real digest's do.
  html: `<p>${"Ünïcödé abstracts with = signs and long lines ".repeat(40)}</p><a href="https://papers.example.org/unsubscribe?token=abc">Unsubscribe</a>`,
  text: `${"Plain text part, also long enough to wrap. ".repeat(30)}\nUnsubscribe: https://papers.example.org/unsubscribe?token=abc`,
  messageId: "<digest.2026-06-16.42@papers.example.org>",
  headers: { "List-Unsubscribe": "<https://papers.example.org/api/unsubscribe?token=abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": "Trending Papers <digest.papers.example.org>" },
};

let composer: MailComposerThread;

afterEach(async () => {
  await composer.close();
});

/** What nodemailer's own transport puts on the wire for these options (its stream transport, buffered). */
async function builtByNodemailer(): Promise<Buffer> {
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" }).sendMail(mail);
  return info.message as Buffer;
}

describe("the mail composer thread", () => {
  it("builds the message nodemailer builds, with its envelope and Message-ID", async () => {
    composer = new MailComposerThread();
    const composed = await composer.compose(mail);
    expect(composed.envelope).toEqual({ from: "digest@papers.example.org", to: ["reader@example.org"] });
    expect(composed.messageId).toBe(mail.messageId);
    const [ours, theirs] = await Promise.all([simpleParser(composed.raw), simpleParser(await builtByNodemailer())]);
    for (const parsed of [ours, theirs]) {
      expect(parsed.subject).toBe(mail.subject);
      expect(parsed.messageId).toBe(mail.messageId);
      expect(parsed.html).toBe(mail.html);
      expect(parsed.text).toBe(mail.text);
      expect(parsed.headerLines.map((header) => header.line)).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    }
    // The same headers and the same transfer encodings: only the boundaries and the Date differ, and
    // line breaks, which the SMTP connection turns into CRLF on the wire either way.
    const shape = (raw: Buffer) =>
      raw
        .toString("latin1")
        .replace(/\r?\n/g, "\r\n")
        .replace(/--_NmP-[\w-]+/g, "--boundary")
        .replace(/boundary="[^"]+"/g, 'boundary="b"')
        .replace(/^Date: .*$/m, "Date: d");
    expect(shape(composed.raw)).toBe(shape(await builtByNodemailer()));
    expect(composed.raw.toString("latin1")).toContain("Content-Transfer-Encoding: quoted-printable");
  });

  it("builds many messages at once, each to its own recipient", async () => {
    composer = new MailComposerThread();
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => composer.compose({ ...mail, to: `reader${i}@example.org`, messageId: `<m${i}@papers.example.org>` })));
    expect(all.map((composed) => composed.envelope.to)).toEqual(Array.from({ length: 20 }, (_, i) => [`reader${i}@example.org`]));
    expect(all.map((composed) => composed.messageId)).toEqual(Array.from({ length: 20 }, (_, i) => `<m${i}@papers.example.org>`));
  });

  it("fails a message it cannot hand to the thread with ComposerStoppedError (never a mail or SMTP error)", async () => {
    composer = new MailComposerThread();
    // A function cannot cross to the thread.
    const uncloneable = { ...mail, headers: { "X-Odd": (() => "x") as unknown as string } };
    await expect(composer.compose(uncloneable)).rejects.toBeInstanceOf(ComposerStoppedError);
    expect((await composer.compose(mail)).messageId).toBe(mail.messageId);
  });

  it("fails the messages in progress with ComposerStoppedError when closed, and starts again on the next one", async () => {
    composer = new MailComposerThread();
    const inProgress = composer.compose(mail);
    await composer.close();
    await expect(inProgress).rejects.toBeInstanceOf(ComposerStoppedError);
    const again = await composer.compose(mail);
    expect(again.messageId).toBe(mail.messageId);
  });
});
