// Signing in by email against real Postgres and a real SMTP server: the link's GET changes nothing,
// its POST (the page's button, or curl -X POST) signs in with a server-side session and casts the
// vote that waited for it; links are single use; a cross-site POST is refused; confirming a
// subscription signs in too; and the mail limits hold across both flows.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as signInGet, POST as signInPost } from "@/app/signin/confirm/route";
import { GET as confirmGet, POST as confirmPost } from "@/app/subscribe/confirm/route";
import { findSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { inspectSignIn, requestSignIn } from "@/lib/auth/sign-in";
import { closeMailTransport, setSmtpUrl } from "@/lib/mail/transport";
import { resetLimiters } from "@/lib/rate-limit";
import { subscribe } from "@/lib/subscriptions/subscribe";
import { fromClient } from "./client";
import { startSmtp, type TestSmtp } from "./smtp";
import { createAppDatabase, type TestDatabase } from "./test-db";

let database: TestDatabase;
let smtp: TestSmtp;
const IP = "192.0.2.60";
const PAPER = "2606.14777";

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
  smtp = await startSmtp();
  setSmtpUrl(smtp.url);
});

afterAll(async () => {
  closeMailTransport();
  await smtp.close();
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE subscriber, rate_limit, session, sign_in_link, vote, person CASCADE`);
  await database.pool.query(`UPDATE paper SET local_upvotes = 0`);
  smtp.reset();
  resetLimiters();
});

function linkIn(email: string, path: string): URL {
  const mail = smtp.to(email).at(-1);
  if (!mail) throw new Error(`no mail to ${email}`);
  const match = new RegExp(`href="(http[^"]*${path}\\?token=[^"]+)"`).exec(String(mail.html));
  if (!match) throw new Error(`no ${path} link in the mail to ${email}`);
  return new URL(match[1]!.replace(/&amp;/g, "&"));
}

function request(url: URL, method: "GET" | "POST", headers: Record<string, string> = {}): NextRequest {
  return new NextRequest(url, { method, headers: { ...fromClient("203.0.113.20"), ...headers }, body: method === "POST" ? "" : undefined });
}

async function localVotes(): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(`SELECT local_upvotes AS n FROM paper WHERE id = $1`, [PAPER]);
  return rows[0]!.n;
}

describe("sign-in links", () => {
  it("GET leads to the page with the button and changes nothing; POST signs in once and casts the waiting vote", async () => {
    const asked = await requestSignIn({ email: "ada@example.org", ip: IP, votePaperId: PAPER, nextPath: `/papers/${PAPER}` });
    expect(asked).toEqual({ status: "check-inbox", email: "ada@example.org" });
    const mail = smtp.mails.at(-1)!;
    expect(mail.subject).toBe("Your Trending Papers sign-in link");
    const link = linkIn("ada@example.org", "/signin/confirm");
    const token = link.searchParams.get("token")!;

    // A mail scanner (or the reader) opening the link: a redirect to the page, nothing else.
    const opened = await signInGet(request(link, "GET"));
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`/confirm?token=${encodeURIComponent(token)}`);
    expect(opened.headers.get("set-cookie")).toBeNull();
    expect(await inspectSignIn(token)).toMatchObject({ status: "valid", email: "ada@example.org" });
    const people = await database.pool.query(`SELECT count(*)::int AS n FROM person`);
    expect(people.rows[0].n).toBe(0);
    expect(await localVotes()).toBe(0);

    // The button (or curl -X POST "<link>").
    const confirmed = await signInPost(request(link, "POST", { "sec-fetch-site": "same-origin", origin: "http://localhost:3000" }));
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(`/papers/${PAPER}`);
    const cookie = confirmed.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    const session = await findSession(confirmed.cookies.get(SESSION_COOKIE)!.value);
    expect(session).toMatchObject({ email: "ada@example.org" });
    expect(await localVotes()).toBe(1);
    // Only a hash of the cookie's token is stored.
    const stored = await database.pool.query<{ token_hash: string }>(`SELECT token_hash FROM session`);
    expect(stored.rows[0]!.token_hash).not.toBe(confirmed.cookies.get(SESSION_COOKIE)!.value);

    // Single use: the same link again signs nobody in and votes nothing.
    const again = await signInPost(request(link, "POST"));
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe(`/confirm?token=${encodeURIComponent(token)}`);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await inspectSignIn(token)).toEqual({ status: "used" });
    expect(await localVotes()).toBe(1);
  });

  it("a POST from another site is refused (login CSRF) and the link stays usable", async () => {
    await requestSignIn({ email: "grace@example.org", ip: IP });
    const link = linkIn("grace@example.org", "/signin/confirm");
    expect((await signInPost(request(link, "POST", { "sec-fetch-site": "cross-site" }))).status).toBe(403);
    expect((await signInPost(request(link, "POST", { origin: "https://evil.example" }))).status).toBe(403);
    expect((await signInPost(request(link, "POST", { origin: "null" }))).status).toBe(403);
    expect((await signInPost(request(link, "POST", { "sec-fetch-site": "same-site" }))).status).toBe(403);
    expect(await inspectSignIn(link.searchParams.get("token")!)).toMatchObject({ status: "valid" });
    // curl sends neither header: it works.
    const curl = await signInPost(request(link, "POST"));
    expect(curl.status).toBe(303);
    expect(curl.headers.get("location")).toBe("/account");
  });

  it("a tampered or forged token signs nobody in", async () => {
    await requestSignIn({ email: "alan@example.org", ip: IP });
    const link = linkIn("alan@example.org", "/signin/confirm");
    const token = link.searchParams.get("token")!;
    link.searchParams.set("token", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`);
    const response = await signInPost(request(link, "POST"));
    expect(response.headers.get("set-cookie")).toBeNull();
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM session`)).rows[0].n).toBe(0);
  });

  it("never sends the visitor to another site afterwards", async () => {
    await requestSignIn({ email: "eve@example.org", ip: IP, nextPath: "//evil.example/path" });
    const response = await signInPost(request(linkIn("eve@example.org", "/signin/confirm"), "POST"));
    expect(response.headers.get("location")).toBe("/account");
  });
});

describe("one person per mailbox", () => {
  it("another spelling of the same mailbox signs in as the same person, who still votes once", async () => {
    for (const [index, email] of ["Ada@example.org", "ada+papers@example.org"].entries()) {
      await requestSignIn({ email, ip: `192.0.2.${70 + index}`, votePaperId: PAPER });
      expect((await signInPost(request(linkIn(email, "/signin/confirm"), "POST"))).status).toBe(303);
    }
    const people = await database.pool.query(`SELECT email FROM person`);
    expect(people.rows).toEqual([{ email: "Ada@example.org" }]);
    expect(await localVotes()).toBe(1);
  });
});

describe("subscription confirmation links", () => {
  it("GET changes nothing; POST confirms and signs in", async () => {
    expect(await subscribe({ email: "lin@example.org", ip: IP })).toMatchObject({ status: "check-inbox" });
    const link = linkIn("lin@example.org", "/subscribe/confirm");
    const opened = await confirmGet(request(link, "GET"));
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toMatch(/^\/confirm\?token=c\./);
    const pending = await database.pool.query(`SELECT status FROM subscriber WHERE email = 'lin@example.org'`);
    expect(pending.rows[0].status).toBe("pending");

    const confirmed = await confirmPost(request(link, "POST"));
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe("/subscribe/confirmed");
    expect(await findSession(confirmed.cookies.get(SESSION_COOKIE)?.value)).toMatchObject({ email: "lin@example.org" });
    const after = await database.pool.query(`SELECT status, person_id IS NOT NULL AS linked FROM subscriber WHERE email = 'lin@example.org'`);
    expect(after.rows[0]).toEqual({ status: "confirmed", linked: true });
  });
});

describe("mail limits across subscribing and signing in", () => {
  it("plus- and case-variants of one mailbox get at most 3 mails, whichever flow asks", async () => {
    const variants = ["victim@example.org", "victim+1@example.org", "Victim+2@example.org", "VICTIM@example.org", "victim+3@example.org"];
    const answers = [];
    for (const [index, email] of variants.entries()) {
      const ip = `198.51.100.${index + 1}`;
      answers.push(index % 2 === 0 ? await requestSignIn({ email, ip }) : await subscribe({ email, ip }));
    }
    expect(answers.map((answer) => answer.status)).toEqual(["check-inbox", "check-inbox", "check-inbox", "limited", "limited"]);
    expect(smtp.mails).toHaveLength(3);
  });

  it("a request without a client address is refused and sends nothing", async () => {
    expect(await requestSignIn({ email: "nobody@example.org", ip: undefined })).toMatchObject({ status: "limited" });
    expect(smtp.mails).toHaveLength(0);
  });
});
