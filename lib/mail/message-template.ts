// Digest messages built from templates: an edition's two parts are quoted-printable encoded once, for
// every subscriber it goes to, and a subscriber's message only encodes its own links and headers.
// Encoding each 40 KB message from scratch (nodemailer's MailComposer: choosing and applying each
// part's transfer encoding) cost more CPU than sending it.
//
// Quoted-printable lets a soft line break ("=" at the end of a line) stand anywhere, so each piece of
// a part (the text between two links, and each link) is encoded on its own and ends with one: the
// decoded part is the pieces joined. The headers are nodemailer's own (MimeNode), as its transports
// write them. The boundary holds "=_", which never occurs in quoted-printable text.
import { randomBytes } from "node:crypto";
import MimeNode from "nodemailer/lib/mime-node";
import { encode as qpEncode, wrap as qpWrap } from "nodemailer/lib/qp";
import { checkMailUrl, MANAGE_PLACEHOLDER, type RenderedMail, UNSUBSCRIBE_PLACEHOLDER } from "@/lib/mail/render";

/** A built message: what a transport sends as `raw` with this envelope. */
export type BuiltMessage = { raw: Buffer; envelope: { from: string | false; to: string[] }; messageId: string };

type Slot = "unsubscribe" | "manage";
type Piece = Buffer | Slot;

/** One rendered mail, encoded once: its subject, and each part as encoded pieces around the subscriber's links. */
export type MessageTemplate = { subject: string; text: Piece[]; html: Piece[]; boundary: string };

/** What differs from one subscriber's message to the next. */
export type MessageFields = {
  from: string;
  to: string;
  messageId: string;
  /** Headers before From, as MailComposer puts custom headers (List-Unsubscribe, List-Id...). */
  headers: Record<string, string>;
  unsubscribeUrl: string;
  manageUrl: string;
};

// Lines of at most 76 characters: the pieces are wrapped one short, for the soft break each ends with.
const LINE = 75;
const SOFT_BREAK = "=\r\n";
const PART_HEADERS = {
  text: Buffer.from("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"),
  html: Buffer.from("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"),
};

/** A piece of a part, quoted-printable (every line break, a lone CR too, as CRLF: what the SMTP connection sends), ending with a soft line break. */
function encodePiece(text: string): string {
  return qpWrap(qpEncode(text.replace(/\r\n|\r|\n/g, "\r\n")), LINE) + SOFT_BREAK;
}

/** A part as encoded pieces and the slots of the links between them (as personalize fills them). */
function pieces(part: string): Piece[] {
  const out: Piece[] = [];
  for (const [i, chunk] of part.split(UNSUBSCRIBE_PLACEHOLDER).entries()) {
    if (i > 0) out.push("unsubscribe");
    for (const [j, text] of chunk.split(MANAGE_PLACEHOLDER).entries()) {
      if (j > 0) out.push("manage");
      if (text) out.push(Buffer.from(encodePiece(text), "latin1"));
    }
  }
  return out;
}

/** Encodes a rendered mail (with its link placeholders) once, for every subscriber it goes to. */
export function messageTemplate(mail: RenderedMail): MessageTemplate {
  // One boundary for every message of the template: no quoted-printable part can hold it.
  return { subject: mail.subject, text: pieces(mail.text), html: pieces(mail.html), boundary: `=_tp_${randomBytes(12).toString("hex")}` };
}

/**
 * Builds one subscriber's message from a template: nodemailer's headers for these fields, the
 * template's encoded parts, and this subscriber's links encoded into their slots.
 */
export function buildMessage(template: MessageTemplate, fields: MessageFields): BuiltMessage {
  for (const url of [fields.unsubscribeUrl, fields.manageUrl]) checkMailUrl(url);
  const { boundary } = template;
  const root = new MimeNode(`multipart/alternative; boundary="${boundary}"`);
  root.setHeader(fields.headers);
  root.setHeader({ From: fields.from, To: fields.to, Subject: template.subject, "Message-ID": fields.messageId });
  const links: Record<Slot, Buffer> = {
    unsubscribe: Buffer.from(encodePiece(fields.unsubscribeUrl), "latin1"),
    manage: Buffer.from(encodePiece(fields.manageUrl), "latin1"),
  };
  const delimiter = Buffer.from(`\r\n--${boundary}\r\n`);
  const chunks: Buffer[] = [Buffer.from(`${root.buildHeaders()}\r\n\r\n--${boundary}\r\n`), PART_HEADERS.text];
  for (const piece of template.text) chunks.push(typeof piece === "string" ? links[piece] : piece);
  chunks.push(delimiter, PART_HEADERS.html);
  for (const piece of template.html) chunks.push(typeof piece === "string" ? links[piece] : piece);
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { raw: Buffer.concat(chunks), envelope: root.getEnvelope(), messageId: root.messageId() };
}
