// The transport's data hook against a real SMTP server: a sender's last word comes after the server
// answered DATA, whatever the message's size, and a refusal there means the server never gets the mail.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appliesDataHooks, createMailTransport, type MailTransport } from "@/lib/mail/transport";
import { startSmtp, type TestSmtp } from "./smtp";

let smtp: TestSmtp;
let transport: MailTransport;

beforeAll(async () => {
  smtp = await startSmtp();
  transport = createMailTransport(smtp.url, 1);
});

afterAll(async () => {
  transport.close();
  await smtp.close();
});

beforeEach(() => smtp.reset());

/** A message small enough to sit whole in the stream's buffers before the envelope goes out. */
const small = { from: "digest@papers.example.org", to: "reader@example.org", subject: "Small", text: "A short mail." };

describe("beforeDataEnd", () => {
  it("runs only once the server has answered the envelope, even for a message buffered whole before it", async () => {
    const events: string[] = [];
    smtp.script = {
      rcpt: async () => {
        // The envelope takes a while: a check made before it would run now.
        await new Promise((resolve) => setTimeout(resolve, 300));
        events.push("rcpt answered");
        return undefined;
      },
    };
    await transport.sendMail({
      ...small,
      beforeDataEnd: async () => {
        events.push("hook");
      },
    } as Parameters<MailTransport["sendMail"]>[0]);
    expect(events).toEqual(["rcpt answered", "hook"]);
    expect(smtp.mails).toHaveLength(1);
  });

  it("fails the message when it rejects: the server never accepts the mail", async () => {
    await expect(
      transport.sendMail({
        ...small,
        beforeDataEnd: async () => {
          throw new Error("this sender no longer holds the row");
        },
      } as Parameters<MailTransport["sendMail"]>[0]),
    ).rejects.toThrow(/no longer holds the row/);
    expect(smtp.mails).toHaveLength(0);
    // The connection is still good for the next mail.
    await transport.sendMail(small);
    expect(smtp.mails).toHaveLength(1);
  });

  it("is applied by transports from createMailTransport only", () => {
    expect(appliesDataHooks(transport)).toBe(true);
    expect(appliesDataHooks({})).toBe(false);
  });
});
