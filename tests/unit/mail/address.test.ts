import { describe, expect, it } from "vitest";
import { foldMailbox, normalizeEmail } from "@/lib/mail/address";

describe("normalizeEmail", () => {
  it.each([
    ["  Ada.Lovelace@Example.ORG ", "Ada.Lovelace@example.org"],
    ["jose@Bücher.Example", "jose@xn--bcher-kva.example"],
    ["first.last+papers@sub.example.co.uk", "first.last+papers@sub.example.co.uk"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["name@example.org.", "name@example.org"],
  ])("%j -> %s", (input, expected) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, email: expected });
  });

  it.each([
    ["", /Enter an email address/],
    [undefined, /Enter an email address/],
    ["ada@example.org\r\nBcc: victim@example.org", /line breaks/],
    ["ada@example.org\nX-Injected: 1", /line breaks/],
    ["ada@example.org%0d%0aBcc:x@y.z", /like name@example.org/],
    ["ada@example.org, eve@example.org", /single email address/],
    ["Ada <ada@example.org>", /single email address/],
    ['"quoted"@example.org', /single email address/],
    ["no-at-sign", /like name@example.org/],
    ["a@@example.org", /like name@example.org/],
    ["@example.org", /like name@example.org/],
    ["ada@", /like name@example.org/],
    ["ada@localhost", /not a valid domain/],
    ["ada@127.0.0.1", /not a valid domain/],
    ["ada@-example.org", /not a valid domain/],
    ["ada..lovelace@example.org", /cannot have/],
    [`${"a".repeat(65)}@example.org`, /at most 64/],
    [`ada@${"d".repeat(64)}.org`, /not a valid domain/],
    [`ada@${Array.from({ length: 50 }, () => "abcde").join(".")}.org`, /too long/],
  ])("rejects %j", (input, message) => {
    const result = normalizeEmail(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});

describe("foldMailbox", () => {
  it.each([
    ["victim@gmail.com", "victim@gmail.com"],
    ["Victim@gmail.com", "victim@gmail.com"],
    ["victim+1@gmail.com", "victim@gmail.com"],
    ["VICTIM+news+more@gmail.com", "victim@gmail.com"],
    ["v.ictim@gmail.com", "victim@gmail.com"],
    ["v.i.c.t.i.m+x@googlemail.com", "victim@gmail.com"],
    ["Victim@googlemail.com", "victim@gmail.com"],
    // Elsewhere dots can make a different mailbox, so they stay; case and +tags fold everywhere.
    ["First.Last+papers@Example.org", "first.last@example.org"],
    ["first.last@example.org", "first.last@example.org"],
    ["firstlast@example.org", "firstlast@example.org"],
    ["v.ictim@gmail.com.example", "v.ictim@gmail.com.example"],
    ["jose@xn--bcher-kva.example", "jose@xn--bcher-kva.example"],
  ])("%s -> %s", (email, mailbox) => {
    expect(foldMailbox(email)).toBe(mailbox);
  });

  it("folds what normalizeEmail accepts, so every spelling of one Gmail mailbox counts as one", () => {
    const spellings = ["victim@gmail.com", "victim+1@gmail.com", "victim+2@gmail.com", " Victim@GMAIL.com ", "v.ictim@gmail.com", "vic.tim+a@googlemail.com"];
    const mailboxes = spellings.map((spelling) => {
      const address = normalizeEmail(spelling);
      if (!address.ok) throw new Error(address.error);
      return foldMailbox(address.email);
    });
    expect(new Set(mailboxes)).toEqual(new Set(["victim@gmail.com"]));
  });
});
