// Double opt-in against real Postgres and a real SMTP server: subscribe, confirm, limits, unsubscribe (RFC 8058).
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as subscribeApi } from "@/app/api/subscribe/route";
import { GET as unsubscribeGet, POST as unsubscribePost } from "@/app/api/unsubscribe/route";
import { tokenSecret } from "@/lib/mail/secret";
import { confirmToken, unsubscribeToken } from "@/lib/mail/tokens";
import { closeMailTransport, setSmtpUrl } from "@/lib/mail/transport";
import { env } from "@/lib/env";
import { MAILBOX_LIMIT } from "@/lib/mail/limits";
import { resetLimiters } from "@/lib/rate-limit";
import { confirmSubscription, inspectConfirmation, subscribe, unsubscribe } from "@/lib/subscriptions/subscribe";
import { headerPairs, startSmtp, type TestSmtp } from "./smtp";
import { createAppDatabase, type TestDatabase } from "./test-db";
import { lazyBody, streamed } from "../lazy-body";
import { fromClient } from "./client";

let database: TestDatabase;
let smtp: TestSmtp;
/** A client address for calls that are not about per-IP limits (a request without one is refused). */
const IP = "192.0.2.50";

beforeAll(async () => {
  database = await createAppDatabase();
  smtp = await startSmtp();
  setSmtpUrl(smtp.url);
});

afterAll(async () => {
  closeMailTransport();
  await smtp.close();
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE subscriber, rate_limit CASCADE`);
  smtp.reset();
  resetLimiters();
});

/** The confirmation link in the latest mail to `email` (from the HTML part). */
function linkIn(email: string, path: string): string {
  const mail = smtp.to(email).at(-1);
  if (!mail) throw new Error(`no mail to ${email}`);
  const match = new RegExp(`href="(http[^"]*${path}\\?token=[^"]+)"`).exec(String(mail.html));
  if (!match) throw new Error(`no ${path} link in the mail to ${email}`);
  return match[1]!.replace(/&amp;/g, "&");
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get("token")!;
}

async function subscriberRow(email: string) {
  const { rows } = await database.pool.query(`SELECT id::text, status, subscribed_ip, confirmed_at, confirmed_ip FROM subscriber WHERE email = $1`, [email]);
  return rows[0] as { id: string; status: string; subscribed_ip: string | null; confirmed_at: Date | null; confirmed_ip: string | null } | undefined;
}

describe("subscribe and confirm", () => {
  it("sends a confirmation link that confirms once, records consent, and only then counts as confirmed", async () => {
    const result = await subscribe({ email: "  Ada.Lovelace@Example.ORG ", ip: "203.0.113.7" });
    expect(result).toEqual({ status: "check-inbox", email: "Ada.Lovelace@example.org" });
    await smtp.waitFor(1);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe("Confirm your Trending Papers subscription");
    expect(mail.text).toContain("/subscribe/confirm?token=");
    expect((await subscriberRow("Ada.Lovelace@example.org"))?.status).toBe("pending");

    const link = linkIn("Ada.Lovelace@example.org", "/subscribe/confirm");
    expect(link.startsWith("http://localhost:3000/subscribe/confirm?token=")).toBe(true);
    // A GET of the link (its page, or a mail scanner) changes nothing.
    expect(await inspectConfirmation(tokenOf(link))).toEqual({ status: "valid", email: "Ada.Lovelace@example.org" });
    expect((await subscriberRow("Ada.Lovelace@example.org"))?.status).toBe("pending");
    const confirmed = await confirmSubscription(tokenOf(link), "203.0.113.8");
    expect(confirmed).toMatchObject({ status: "confirmed", email: "Ada.Lovelace@example.org", personId: expect.any(BigInt) });
    // Confirming makes the address a person, linked to the subscription.
    const person = await database.pool.query(`SELECT p.email FROM person p JOIN subscriber s ON s.person_id = p.id WHERE s.email = $1`, ["Ada.Lovelace@example.org"]);
    expect(person.rows).toEqual([{ email: "Ada.Lovelace@example.org" }]);
    expect(await inspectConfirmation(tokenOf(link))).toEqual({ status: "already-confirmed" });
    const row = await subscriberRow("Ada.Lovelace@example.org");
    expect(row).toMatchObject({ status: "confirmed", subscribed_ip: "203.0.113.7", confirmed_ip: "203.0.113.8" });
    expect(row?.confirmed_at).toBeInstanceOf(Date);
    // Single use: the same link again changes nothing and says so.
    expect(await confirmSubscription(tokenOf(link))).toEqual({ status: "already-confirmed" });
  });

  it("sends the confirmation with the digest's List-Id", async () => {
    await subscribe({ email: "list-id@example.org", ip: IP });
    await smtp.waitFor(1);
    const headers = headerPairs(smtp.mails[0]!.raw);
    expect(headers).toContainEqual(["list-id", "Trending Papers <digest.localhost>"]);
    // Not a digest: no unsubscribe header on a confirmation.
    expect(headers.map(([name]) => name)).not.toContain("list-unsubscribe");
  });

  it("rejects tampered, expired and superseded links", async () => {
    await subscribe({ email: "grace@example.org", ip: IP });
    const first = tokenOf(linkIn("grace@example.org", "/subscribe/confirm"));
    const tampered = first.replace(/\.c\.|^c\.(\d+)/, (m) => m.replace(/\d+/, (id) => String(Number(id) + 1)));
    expect(tampered).not.toBe(first);
    expect(await confirmSubscription(tampered)).toEqual({ status: "invalid" });
    expect(await confirmSubscription(first.slice(0, -2) + (first.endsWith("AA") ? "BB" : "AA"))).toEqual({ status: "invalid" });
    const id = BigInt((await subscriberRow("grace@example.org"))!.id);
    const { rows } = await database.pool.query<{ confirm_nonce: string }>(`SELECT confirm_nonce FROM subscriber WHERE id = $1`, [id.toString()]);
    const expired = confirmToken(tokenSecret(), id, rows[0]!.confirm_nonce, Date.now() - 49 * 3_600_000);
    expect(await confirmSubscription(expired)).toEqual({ status: "expired" });
    // Subscribing again issues a new link; the older one no longer works.
    await subscribe({ email: "grace@example.org", ip: IP });
    expect(await confirmSubscription(first)).toEqual({ status: "used" });
    expect((await subscriberRow("grace@example.org"))?.status).toBe("pending");
    expect((await confirmSubscription(tokenOf(linkIn("grace@example.org", "/subscribe/confirm")))).status).toBe("confirmed");
  });

  it("answers the same for new, pending, confirmed and unsubscribed addresses", async () => {
    const answers = [];
    answers.push(await subscribe({ email: "new@example.org", ip: IP }));
    answers.push(await subscribe({ email: "new@example.org", ip: IP })); // now pending
    await confirmSubscription(tokenOf(linkIn("new@example.org", "/subscribe/confirm")));
    answers.push(await subscribe({ email: "new@example.org", ip: IP })); // confirmed
    const id = BigInt((await subscriberRow("new@example.org"))!.id);
    await unsubscribe(unsubscribeToken(tokenSecret(), id));
    resetLimiters();
    await database.pool.query(`TRUNCATE rate_limit`);
    answers.push(await subscribe({ email: "new@example.org", ip: IP })); // unsubscribed
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    // The confirmed address stayed confirmed and was told so, without a confirmation link.
    const told = smtp.mails[2]!;
    expect(told.subject).toBe("You are already subscribed to Trending Papers");
    expect(String(told.html)).not.toContain("/subscribe/confirm");
    // Re-subscribing after unsubscribing needs a fresh confirmation.
    expect((await subscriberRow("new@example.org"))?.status).toBe("pending");
  });

  it("rejects invalid addresses and header injection, sending nothing", async () => {
    for (const email of ["", "no-at-sign", "a@b", "ada@example.org\r\nBcc: victim@example.org", "ada@example.org,eve@example.org", `${"x".repeat(65)}@example.org`, "Ada <ada@example.org>"]) {
      const result = await subscribe({ email });
      expect(result.status, JSON.stringify(email)).toBe("invalid");
    }
    expect(smtp.mails).toHaveLength(0);
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM subscriber`);
    expect(rows[0].n).toBe(0);
  });

  it("stores internationalised domains in punycode", async () => {
    expect(await subscribe({ email: "jose@Bücher.Example", ip: IP })).toEqual({ status: "check-inbox", email: "jose@xn--bcher-kva.example" });
    // (smtp-server shows envelope addresses decoded; the header carries what was sent.)
    expect(smtp.mails[0]!.raw).toMatch(/^To: jose@xn--bcher-kva\.example\r?$/m);
  });

  it("limits mails per address and per IP, sending nothing over the limit", async () => {
    for (let i = 0; i < MAILBOX_LIMIT.points; i++) expect((await subscribe({ email: "target@example.org", ip: IP })).status).toBe("check-inbox");
    const over = await subscribe({ email: "target@example.org", ip: IP });
    expect(over.status).toBe("limited");
    expect(over.status === "limited" && over.retryAfterSeconds).toBeGreaterThan(3_600);
    expect(smtp.mails).toHaveLength(MAILBOX_LIMIT.points);

    smtp.mails.length = 0;
    // MAIL_LIMIT_IP as this suite sets it (vitest.config.ts), not the default of 10.
    expect(env.MAIL_LIMIT_IP).toBe(6);
    for (let i = 0; i < env.MAIL_LIMIT_IP; i++) expect((await subscribe({ email: `reader${i}@example.org`, ip: "198.51.100.9" })).status).toBe("check-inbox");
    expect((await subscribe({ email: "one-more@example.org", ip: "198.51.100.9" })).status).toBe("limited");
    expect((await subscribe({ email: "one-more@example.org", ip: "198.51.100.10" })).status).toBe("check-inbox");
    expect(smtp.mails).toHaveLength(env.MAIL_LIMIT_IP + 1);
  });

  it("counts every spelling of one mailbox together (case, +tags, Gmail's dots), mailing the address as typed", async () => {
    const spellings = ["victim+1@gmail.com", "victim+2@gmail.com", "Victim@gmail.com", "v.ictim@gmail.com", "victim@googlemail.com", "VIC.TIM+x@gmail.com"];
    const statuses = [];
    // From a new IP each time, so only the per-mailbox limit can refuse.
    for (const [index, email] of spellings.entries()) statuses.push((await subscribe({ email, ip: `198.51.100.${20 + index}` })).status);
    expect(statuses).toEqual(["check-inbox", "check-inbox", "check-inbox", "limited", "limited", "limited"]);
    expect(smtp.mails.map((mail) => mail.raw.match(/^To: (.*?)\r?$/m)?.[1])).toEqual(["victim+1@gmail.com", "victim+2@gmail.com", "Victim@gmail.com"]);
    // Another mailbox at the same provider is not affected.
    expect((await subscribe({ email: "victim2@gmail.com", ip: IP })).status).toBe("check-inbox");
    expect(smtp.mails).toHaveLength(MAILBOX_LIMIT.points + 1);
  });

  it("refuses, sending nothing, when it cannot tell where the request came from", async () => {
    const result = await subscribe({ email: "someone@example.org" });
    expect(result).toMatchObject({ status: "limited", message: expect.stringMatching(/could not tell where this request came from/) });
    const response = await subscribeApi(post("/api/subscribe", { body: JSON.stringify({ email: "someone@example.org" }), headers: { "content-type": "application/json" } }));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await response.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/could not tell where this request came from/) });
    expect(smtp.mails).toHaveLength(0);
    expect(await subscriberRow("someone@example.org")).toBeUndefined();
  });

  it("stops confirmation mails for the hour at MAIL_LIMIT_HOURLY, answering the same whatever the address's state", async () => {
    // 30 in the integration tests' environment.
    expect(env.MAIL_LIMIT_HOURLY).toBe(30);
    await database.pool.query(`INSERT INTO subscriber (email, status, confirmed_at) VALUES ('confirmed@example.org', 'confirmed', now())`);
    expect((await subscribe({ email: "pending@example.org", ip: IP })).status).toBe("check-inbox");
    // Readers from several IPs, each under its own limit, use up the rest of the hour's mails.
    for (let i = 1; i < env.MAIL_LIMIT_HOURLY; i++) {
      expect((await subscribe({ email: `reader${i}@example.org`, ip: `198.51.100.${30 + Math.floor(i / env.MAIL_LIMIT_IP)}` })).status).toBe("check-inbox");
    }
    expect(smtp.mails).toHaveLength(env.MAIL_LIMIT_HOURLY);

    const answers = [];
    for (const [index, email] of ["new@example.org", "pending@example.org", "confirmed@example.org"].entries()) {
      answers.push(await subscribe({ email, ip: `203.0.113.${40 + index}` }));
    }
    for (const answer of answers) expect(answer).toMatchObject({ status: "limited", message: expect.stringMatching(/sending a lot of email just now.*try again in 60 minutes/) });
    expect(new Set(answers.map((answer) => answer.status === "limited" && answer.message)).size).toBe(1);
    expect(smtp.mails).toHaveLength(env.MAIL_LIMIT_HOURLY);
    expect(await subscriberRow("new@example.org")).toBeUndefined();
  });

  it("limits and mails addresses as long as SMTP allows", async () => {
    // 253 characters: the test SMTP server's limit for a path, one under ours.
    const longest = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(56)}.org`;
    expect(longest).toHaveLength(253);
    expect(await subscribe({ email: longest, ip: IP })).toEqual({ status: "check-inbox", email: longest });
    expect(smtp.mails).toHaveLength(1);
  });
});

function post(url: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): NextRequest {
  return new NextRequest(new URL(url, "http://localhost"), { method: "POST", ...init });
}

describe("POST /api/subscribe", () => {
  it("answers 202 with the same body for any address state, 400 for bad input, 429 with Retry-After over the limit", async () => {
    const json = (email: unknown) => post("/api/subscribe", { body: JSON.stringify({ email }), headers: { "content-type": "application/json", ...fromClient("192.0.2.1") } });
    const first = await subscribeApi(json("api@example.org"));
    expect(first.status).toBe(202);
    const body = await first.json();
    expect(body).toMatchObject({ status: "pending_confirmation", email: "api@example.org" });
    expect((await subscriberRow("api@example.org"))?.subscribed_ip).toBe("192.0.2.1");

    for (const bad of [json("not an address"), json(42), post("/api/subscribe", { body: "{", headers: { "content-type": "application/json" } })]) {
      const response = await subscribeApi(bad);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request");
    }
    expect((await subscribeApi(post("/api/subscribe", { body: "email=a@example.org", headers: { "content-type": "application/x-www-form-urlencoded" } }))).status).toBe(415);

    await subscribeApi(json("api@example.org"));
    await subscribeApi(json("api@example.org"));
    const limited = await subscribeApi(json("api@example.org"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.message).toMatch(/try again/);
  });

  it("answers 503 (and keeps the request) when the mail server is down", async () => {
    smtp.script = { rcpt: () => ({ code: 451, message: "Try again later" }) };
    const response = await subscribeApi(
      post("/api/subscribe", { body: JSON.stringify({ email: "later@example.org" }), headers: { "content-type": "application/json", ...fromClient("192.0.2.2") } }),
    );
    expect(response.status).toBe(503);
    expect((await subscriberRow("later@example.org"))?.status).toBe("pending");
  });

  it("answers 413 to a 400 MB body at once by its Content-Length, and after 10 KB without one", async () => {
    const json = { "content-type": "application/json" };
    const announced = lazyBody();
    const refused = await subscribeApi(new NextRequest("http://localhost/api/subscribe", streamed(announced.stream, { ...json, "content-length": String(400 * 1024 * 1024) })));
    expect(refused.status).toBe(413);
    expect((await refused.json()).error.code).toBe("invalid_request");
    expect(announced.state).toEqual({ pulled: 0, cancelled: true });

    const chunked = lazyBody();
    expect((await subscribeApi(new NextRequest("http://localhost/api/subscribe", streamed(chunked.stream, json)))).status).toBe(413);
    expect(chunked.state.cancelled).toBe(true);
    expect(chunked.state.pulled).toBeLessThanOrEqual(10_000 + 64 * 1024);
    expect(smtp.mails).toHaveLength(0);
  });
});

describe("unsubscribe", () => {
  async function confirmed(email: string): Promise<bigint> {
    const { rows } = await database.pool.query<{ id: string }>(`INSERT INTO subscriber (email, status, confirmed_at) VALUES ($1, 'confirmed', now()) RETURNING id::text`, [email]);
    return BigInt(rows[0]!.id);
  }
  const status = async (id: bigint) => (await database.pool.query(`SELECT status FROM subscriber WHERE id = $1`, [id.toString()])).rows[0]?.status;

  it("one-click POST works without cookies or Origin, form-urlencoded or multipart, and is idempotent", async () => {
    const a = await confirmed("a@example.org");
    const token = unsubscribeToken(tokenSecret(), a);
    const form = await unsubscribePost(
      post(`/api/unsubscribe?token=${token}`, { body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } }),
    );
    expect(form.status).toBe(200);
    expect(form.headers.get("location")).toBeNull();
    expect(await status(a)).toBe("unsubscribed");
    const again = await unsubscribePost(post(`/api/unsubscribe?token=${token}`, { body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } }));
    expect(again.status).toBe(200);

    const b = await confirmed("b@example.org");
    const multipart = new FormData();
    multipart.set("List-Unsubscribe", "One-Click");
    const response = await unsubscribePost(post(`/api/unsubscribe?token=${unsubscribeToken(tokenSecret(), b)}`, { body: multipart }));
    expect(response.status).toBe(200);
    expect(await status(b)).toBe("unsubscribed");
  });

  it("one-click POST refuses an oversized body with 413, reading no more than its cap, and changes nothing", async () => {
    const e = await confirmed("e@example.org");
    const url = `http://localhost/api/unsubscribe?token=${unsubscribeToken(tokenSecret(), e)}`;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const announced = lazyBody();
    expect((await unsubscribePost(new NextRequest(url, streamed(announced.stream, { ...form, "content-length": String(400 * 1024 * 1024) })))).status).toBe(413);
    expect(announced.state).toEqual({ pulled: 0, cancelled: true });
    const chunked = lazyBody();
    const response = await unsubscribePost(new NextRequest(url, streamed(chunked.stream, form)));
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("invalid_request");
    expect(chunked.state.pulled).toBeLessThanOrEqual(8_192 + 64 * 1024);
    expect(chunked.state.cancelled).toBe(true);
    expect(await status(e)).toBe("confirmed");
  });

  it("GET changes nothing and leads to the page with the button", async () => {
    const c = await confirmed("c@example.org");
    const response = await unsubscribeGet(new NextRequest(new URL(`/api/unsubscribe?token=${unsubscribeToken(tokenSecret(), c)}`, "http://evil.example")));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/unsubscribe\?token=u\./);
    expect(await status(c)).toBe("confirmed");
  });

  it("rejects tampered tokens with a clear 400 and changes nothing", async () => {
    const d = await confirmed("d@example.org");
    const token = unsubscribeToken(tokenSecret(), d);
    const forged = token.replace(/^u\.\d+/, `u.${d + 1n}`);
    for (const bad of [forged, token.slice(0, -1), "", "garbage"]) {
      const response = await unsubscribePost(post(`/api/unsubscribe?token=${encodeURIComponent(bad)}`));
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(/unsubscribe link|token/);
    }
    expect(await status(d)).toBe("confirmed");
  });
});
