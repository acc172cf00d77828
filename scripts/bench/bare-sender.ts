// The floor of bench:digest: a bare pooled nodemailer transport in a process of its own, sending the
// very mails the digest planned (read from a file), nothing recorded. A fresh process for every run:
// sharing one with sendDigest let each path's JIT feedback slow the other's nodemailer code, so the
// same bare run measured 600 or 820 mails/s depending on what ran before it.
//
//   node --import tsx scripts/bench/bare-sender.ts <mails.json> <smtp url> <count> <connections> [templates]
//
// With "templates", each message is built as sendDigest builds it: from its rendering's template,
// encoded once (lib/mail/message-template.ts), and sent as `raw`.
//
// It sends a warm-up, prints {"ready":true}, waits for a line on stdin, sends `count` mails and
// prints {"sendMs","sendMailMs"}: the timed part only (bench-digest.ts reads its CPU from /proc).
import fs from "node:fs";
import readline from "node:readline";

type Rendered = { subject: string; html: string; text: string };
export type BareMails = { renderings: Rendered[]; index: number[]; from: string; date: string; domain: string; warmup: number };

async function main(): Promise<void> {
  const [file, smtpUrl, countArg, connectionsArg, mode] = process.argv.slice(2);
  if (!file || !smtpUrl || !countArg || !connectionsArg) throw new Error("usage: bare-sender.ts <mails.json> <smtp url> <count> <connections> [templates]");
  const count = Number(countArg);
  const connections = Number(connectionsArg);
  const mails = JSON.parse(fs.readFileSync(file, "utf8")) as BareMails;
  const [{ createMailTransport }, { personalize }, links, { buildMessage, messageTemplate }, { digestListId }] = await Promise.all([
    import("@/lib/mail/transport"),
    import("@/lib/mail/render"),
    import("@/lib/subscriptions/links"),
    import("@/lib/mail/message-template"),
    import("@/lib/subscriptions/subscribe"),
  ]);
  const transport = createMailTransport(smtpUrl, connections);
  // Encoded once per rendering, before the timed part (sendDigest encodes each edition once per run).
  const templates = mode === "templates" ? new Map(mails.renderings.map((rendering) => [rendering, messageTemplate(rendering)])) : undefined;
  // The headers a digest mail carries (MAIL_FEEDBACK_ID aside).
  const headers = { "List-Unsubscribe": `<${links.oneClickUnsubscribeUrl(1n)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": digestListId() };
  let sendMailMs = 0;

  const sendOne = async (i: number, rendering: Rendered) => {
    const unsubscribeUrl = links.unsubscribePageUrl(BigInt(i));
    const manageUrl = links.manageDigestUrl(BigInt(i));
    const fields = { from: mails.from, to: `reader${i}@example.org`, messageId: `<digest.${mails.date}.${i}@${mails.domain}>`, headers };
    const template = templates?.get(rendering);
    if (template) {
      const built = buildMessage(template, { ...fields, unsubscribeUrl, manageUrl });
      const started = performance.now();
      await transport.sendMail({ raw: built.raw, envelope: built.envelope, messageId: built.messageId });
      sendMailMs += performance.now() - started;
    } else {
      const mail = personalize(rendering, unsubscribeUrl, manageUrl);
      const started = performance.now();
      await transport.sendMail({ ...fields, subject: mail.subject, html: mail.html, text: mail.text });
      sendMailMs += performance.now() - started;
    }
  };
  const run = async (total: number, mailOf: (i: number) => Rendered) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < total) {
          const i = ++next;
          await sendOne(i, mailOf(i));
        }
      }),
    );
  };

  // The warm-up sends the day's digest (the first rendering) to the first subscribers; the sink counts it apart.
  await run(mails.warmup, () => mails.renderings[0]!);
  sendMailMs = 0;
  console.log(JSON.stringify({ ready: true }));
  await new Promise<void>((resolve) => readline.createInterface({ input: process.stdin }).once("line", () => resolve()));
  const started = performance.now();
  await run(count, (i) => mails.renderings[mails.index[i - 1]!]!);
  const sendMs = performance.now() - started;
  transport.close();
  console.log(JSON.stringify({ sendMs, sendMailMs }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  },
);
