// A message built from a template is the message nodemailer builds from the personalized mail:
// the same headers and, decoded, the same parts.
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { buildMessage, messageTemplate } from "@/lib/mail/message-template";
import { MANAGE_PLACEHOLDER, personalize, type RenderedMail, UNSUBSCRIBE_PLACEHOLDER } from "@/lib/mail/render";

const unsubscribeUrl = "https://papers.example.org/unsubscribe?token=u1.abc-DEF_42";
const manageUrl = "https://papers.example.org/account/digest?token=m.1.xyz";

// Long lines, non-ASCII, "=" signs and line breaks, with links in the middle of lines and at the ends of the parts.
const rendered: RenderedMail = {
  subject: "Your papers for Tuesday, 16 June 2026: Attention Sinks in “Long” Contexts",
  html: `<p>${"Ünïcödé abstracts with = signs and long lines ".repeat(40)}</p><a href="${UNSUBSCRIBE_PLACEHOLDER}">Unsubscribe</a> · <a href="${MANAGE_PLACEHOLDER}">Change your digest</a><a href="${UNSUBSCRIBE_PLACEHOLDER}">`,
  text: `${UNSUBSCRIBE_PLACEHOLDER} first\n${"Plain text part, also long enough to wrap, by Jürgen. ".repeat(30)}\ntrailing space \nChange: ${MANAGE_PLACEHOLDER}\nUnsubscribe: ${UNSUBSCRIBE_PLACEHOLDER}`,
};

const fields = {
  from: "Trending Papers <digest@papers.example.org>",
  to: "reader@example.org",
  messageId: "<digest.2026-06-16.42@papers.example.org>",
  headers: { "List-Unsubscribe": "<https://papers.example.org/api/unsubscribe?token=abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": "Trending Papers <digest.papers.example.org>" },
};

/** What nodemailer's own transport puts on the wire for the personalized mail (its stream transport, buffered). */
async function builtByNodemailer(mail: RenderedMail): Promise<Buffer> {
  const personal = personalize(mail, unsubscribeUrl, manageUrl);
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" }).sendMail({ ...fields, ...personal });
  return info.message as Buffer;
}

const headerBlock = (raw: Buffer) => raw.toString("latin1").split("\r\n\r\n")[0]!;

describe("digest messages built from a template", () => {
  it("decode to the mail nodemailer builds from the personalized rendering, with its headers, envelope and Message-ID", async () => {
    const built = buildMessage(messageTemplate(rendered), { ...fields, unsubscribeUrl, manageUrl });
    expect(built.envelope).toEqual({ from: "digest@papers.example.org", to: ["reader@example.org"] });
    expect(built.messageId).toBe(fields.messageId);
    const personal = personalize(rendered, unsubscribeUrl, manageUrl);
    const reference = await builtByNodemailer(rendered);
    const [ours, theirs] = await Promise.all([simpleParser(built.raw), simpleParser(reference)]);
    expect(ours.html).toBe(personal.html);
    expect(ours.text).toBe(personal.text);
    expect(ours.html).toBe(theirs.html);
    expect(ours.text).toBe(theirs.text);
    expect(ours.subject).toBe(rendered.subject);
    // The same header block, but for the Date and the boundary.
    const shape = (raw: Buffer) => headerBlock(raw).replace(/^Date: .*$/m, "Date: d").replace(/boundary="[^"]+"/, 'boundary="b"');
    expect(shape(built.raw)).toBe(shape(reference));
  });

  it("keeps every line within 76 characters, with CRLF line breaks only, and never holds its boundary in a part", () => {
    const built = buildMessage(messageTemplate(rendered), { ...fields, unsubscribeUrl, manageUrl }).raw.toString("latin1");
    expect(built.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = built.split("\r\n");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(76);
    // Pieces of every length around a line's, each ending right before a link: plain letters, and
    // text whose escapes (=3D, multi-byte characters) and trailing spaces fall at the wrap.
    for (const unit of ["a", "é=", "a 😀 ", "x\r"]) {
      for (let length = 20; length <= 160; length++) {
        const piece = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        const mail = { subject: "s", html: `${piece}${UNSUBSCRIBE_PLACEHOLDER}${piece}`, text: `${piece} ${MANAGE_PLACEHOLDER}` };
        const built = buildMessage(messageTemplate(mail), { ...fields, unsubscribeUrl, manageUrl }).raw.toString("latin1");
        expect(Math.max(...built.split("\r\n").map((line) => line.length))).toBeLessThanOrEqual(76);
        // Every line break is CRLF, a lone CR in the text too.
        expect(built.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      }
    }
    const boundary = /boundary="([^"]+)"/.exec(built)![1]!;
    expect(boundary).toContain("=_");
    // Two delimiters and the closing one: nothing else in the message looks like one.
    expect(built.split(`--${boundary}`)).toHaveLength(4);
  });

  it("fills each subscriber's own links, and shares the encoded parts between messages", async () => {
    const template = messageTemplate(rendered);
    const mails = await Promise.all(
      [1, 2].map((n) => simpleParser(buildMessage(template, { ...fields, to: `reader${n}@example.org`, unsubscribeUrl: `${unsubscribeUrl}${n}`, manageUrl: `${manageUrl}${n}` }).raw)),
    );
    for (const [i, mail] of mails.entries()) {
      const n = i + 1;
      expect(mail.to).toMatchObject({ text: `reader${n}@example.org` });
      expect(mail.html).toBe(personalize(rendered, `${unsubscribeUrl}${n}`, `${manageUrl}${n}`).html);
    }
  });

  it("builds a mail with no links at all, and one that is nothing but a link", async () => {
    for (const mail of [
      { subject: "plain", html: "<p>nothing to fill</p>", text: "nothing to fill" },
      { subject: "only", html: UNSUBSCRIBE_PLACEHOLDER, text: MANAGE_PLACEHOLDER },
    ]) {
      const parsed = await simpleParser(buildMessage(messageTemplate(mail), { ...fields, unsubscribeUrl, manageUrl }).raw);
      const personal = personalize(mail, unsubscribeUrl, manageUrl);
      expect(parsed.html).toBe(personal.html);
      expect(parsed.text).toBe(personal.text);
    }
  });

  it("refuses a link that would need escaping", () => {
    const template = messageTemplate(rendered);
    expect(() => buildMessage(template, { ...fields, unsubscribeUrl: 'https://x.example/"><script>', manageUrl })).toThrow(/escaping/);
  });
});
