// Digest preferences through the API, against real Postgres and a real SMTP server: subscribing with
// topics, GET and PUT /api/me/digest with a session, and every field checked.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as getDigest, PUT as putDigest } from "@/app/api/me/digest/route";
import { POST as subscribeApi } from "@/app/api/subscribe/route";
import { SESSION_COOKIE } from "@/lib/auth/sessions";
import { closeMailTransport, setSmtpUrl } from "@/lib/mail/transport";
import { resetLimiters } from "@/lib/rate-limit";
import { confirmSubscription } from "@/lib/subscriptions/subscribe";
import { tokenSecret } from "@/lib/mail/secret";
import { confirmToken, manageToken, MANAGE_TTL_MS } from "@/lib/mail/tokens";
import { fromSomeClient, signedInAs } from "./client";
import { startSmtp, type TestSmtp } from "./smtp";
import { createAppDatabase, type TestDatabase } from "./test-db";

let database: TestDatabase;
let smtp: TestSmtp;
let people = 0;

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
  await database.pool.query(`TRUNCATE subscriber, rate_limit, session, person CASCADE`);
  smtp.reset();
  resetLimiters();
});

async function signedIn(): Promise<{ cookie: string; email: string }> {
  const email = `reader${++people}@example.org`;
  return { cookie: (await signedInAs(email)).cookie, email };
}

function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return new NextRequest(new URL(path, "http://localhost:3000"), {
    method,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...fromSomeClient(), ...headers },
  });
}

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

async function row(email: string) {
  const { rows } = await database.pool.query(
    `SELECT status, categories, keywords, authors, searches, cadence, weekly_day, digest_size, send_empty, cross_lists FROM subscriber WHERE email = $1`,
    [email],
  );
  return rows[0];
}

describe("POST /api/subscribe with preferences", () => {
  it("keeps topics, follows and cadence with the pending subscription, and they apply once confirmed", async () => {
    const answer = await json(
      await subscribeApi(request("POST", "/api/subscribe", { email: "robotics@example.org", categories: ["cs.ro"], follow: ["diffusion policy"], authors: ["Sergey Levine"], cadence: "weekly" })),
    );
    expect(answer.status).toBe(202);
    expect(await row("robotics@example.org")).toMatchObject({ status: "pending", categories: ["cs.RO"], keywords: ["diffusion policy"], authors: ["Sergey Levine"], cadence: "weekly" });
    const { rows } = await database.pool.query<{ id: string; confirm_nonce: string }>(`SELECT id::text, confirm_nonce FROM subscriber WHERE email = $1`, ["robotics@example.org"]);
    await confirmSubscription(confirmToken(tokenSecret(), BigInt(rows[0]!.id), rows[0]!.confirm_nonce));
    expect(await row("robotics@example.org")).toMatchObject({ status: "confirmed", categories: ["cs.RO"], cadence: "weekly" });
  });

  it("never changes a confirmed subscriber's preferences (the request is not signed in)", async () => {
    const reader = await signedIn();
    await putDigest(request("PUT", "/api/me/digest", { subscribed: true, categories: ["cs.LG"] }, { cookie: reader.cookie }));
    const answer = await subscribeApi(request("POST", "/api/subscribe", { email: reader.email, categories: ["math.AG"], cadence: "paused" }));
    expect(answer.status).toBe(202);
    expect(await row(reader.email)).toMatchObject({ status: "confirmed", categories: ["cs.LG"], cadence: "daily" });
  });

  it("a plain resubscribe keeps the preferences an unconfirmed row has", async () => {
    await subscribeApi(request("POST", "/api/subscribe", { email: "again@example.org", categories: ["cs.RO"] }));
    await subscribeApi(request("POST", "/api/subscribe", { email: "again@example.org" }));
    expect(await row("again@example.org")).toMatchObject({ status: "pending", categories: ["cs.RO"] });
  });

  it.each([
    [{ email: "a@example.org", categories: ["cs.RO", "xx.YY"] }, 'categories.1: "xx.YY" is not an arXiv category'],
    [{ email: "a@example.org", follow: Array.from({ length: 500 }, (_, i) => `topic ${i}`) }, "follow: has more than 30 entries"],
    [{ email: "a@example.org", authors: [""] }, "authors.0: is empty"],
    [{ email: "a@example.org", cadence: "hourly" }, "cadence: must be one of daily, weekdays, weekly, paused"],
    [{ email: "a@example.org", topics: ["cs.RO"] }, "topics"],
  ])("refuses %j with a 400 that names the field, and stores nothing", async (body, message) => {
    const answer = await json(await subscribeApi(request("POST", "/api/subscribe", body)));
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe("invalid_request");
    expect(answer.body.error?.message).toContain(message);
    expect(await row("a@example.org")).toBeUndefined();
    expect(smtp.mails).toHaveLength(0);
  });
});

describe("GET and PUT /api/me/digest", () => {
  it("needs a session: 401 sign_in_required, JSON", async () => {
    for (const response of [await getDigest(request("GET", "/api/me/digest")), await putDigest(request("PUT", "/api/me/digest", { cadence: "weekly" }))]) {
      const answer = await json(response);
      expect(answer.status).toBe(401);
      expect(answer.body.error?.code).toBe("sign_in_required");
    }
    const forged = await json(await getDigest(request("GET", "/api/me/digest", undefined, { cookie: `${SESSION_COOKIE}=forged` })));
    expect(forged.status).toBe(401);
  });

  it("subscribes a signed-in person at once, saves preferences, and changes only the fields given", async () => {
    const reader = await signedIn();
    const first = await json(await getDigest(request("GET", "/api/me/digest", undefined, { cookie: reader.cookie })));
    expect(first.body).toMatchObject({ email: reader.email, status: "none", preferences: { categories: [], cadence: "daily" } });
    expect(first.status).toBe(200);

    const saved = await json(
      await putDigest(request("PUT", "/api/me/digest", { subscribed: true, categories: ["cs.RO"], keywords: ["diffusion"], cadence: "weekly", weeklyDay: 1, size: 10 }, { cookie: reader.cookie })),
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: "confirmed", preferences: { categories: ["cs.RO"], keywords: ["diffusion"], cadence: "weekly", weeklyDay: 1, size: 10 } });

    const changed = await json(await putDigest(request("PUT", "/api/me/digest", { authors: ["Sergey Levine"] }, { cookie: reader.cookie })));
    expect(changed.body).toMatchObject({ status: "confirmed", preferences: { categories: ["cs.RO"], keywords: ["diffusion"], authors: ["Sergey Levine"], cadence: "weekly", size: 10 } });
    expect(await row(reader.email)).toMatchObject({ status: "confirmed", categories: ["cs.RO"], keywords: ["diffusion"], authors: ["Sergey Levine"], cadence: "weekly", weekly_day: 1, digest_size: 10 });

    const stopped = await json(await putDigest(request("PUT", "/api/me/digest", { subscribed: false }, { cookie: reader.cookie })));
    expect(stopped.body).toMatchObject({ status: "unsubscribed", preferences: { categories: ["cs.RO"] } });
  });

  it("refuses bad fields with a 400 naming them, and changes nothing", async () => {
    const reader = await signedIn();
    await putDigest(request("PUT", "/api/me/digest", { subscribed: true, categories: ["cs.RO"] }, { cookie: reader.cookie }));
    for (const [body, message] of [
      [{ categories: ["nope"] }, 'categories.0: "nope" is not an arXiv category'],
      [{ size: 500 }, "size: must be 5 to 50"],
      [{ searches: Array.from({ length: 21 }, (_, i) => ({ q: `q${i}` })) }, "searches: has more than 20 entries"],
      ["{not json", "JSON"],
    ] as const) {
      const answer = await json(await putDigest(request("PUT", "/api/me/digest", body, { cookie: reader.cookie })));
      expect(answer.status).toBe(400);
      expect(answer.body.error?.message).toContain(message);
    }
    expect(await row(reader.email)).toMatchObject({ categories: ["cs.RO"], digest_size: null });
  });

  it("refuses a PUT from another site's page, and a body over its cap", async () => {
    const reader = await signedIn();
    const crossSite = await json(await putDigest(request("PUT", "/api/me/digest", { cadence: "paused" }, { cookie: reader.cookie, origin: "https://evil.example" })));
    expect(crossSite.status).toBe(403);
    const huge = await json(await putDigest(request("PUT", "/api/me/digest", JSON.stringify({ keywords: ["x".repeat(100_000)] }), { cookie: reader.cookie })));
    expect(huge.status).toBe(413);
    expect(await row(reader.email)).toBeUndefined();
  });

  it("a digest mail's link opens that subscriber's preferences without a session, for two weeks, and nothing else", async () => {
    const reader = await signedIn();
    await putDigest(request("PUT", "/api/me/digest", { subscribed: true, categories: ["cs.RO"] }, { cookie: reader.cookie }));
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id::text FROM subscriber WHERE email = $1`, [reader.email]);
    const id = BigInt(rows[0]!.id);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    const read = await json(await getDigest(request("GET", "/api/me/digest", undefined, bearer(manageToken(tokenSecret(), id)))));
    expect(read).toMatchObject({ status: 200, body: { email: reader.email, status: "confirmed", preferences: { categories: ["cs.RO"] } } });
    const changed = await json(await putDigest(request("PUT", "/api/me/digest", { cadence: "weekly" }, bearer(manageToken(tokenSecret(), id)))));
    expect(changed.body).toMatchObject({ preferences: { categories: ["cs.RO"], cadence: "weekly" } });
    expect(await row(reader.email)).toMatchObject({ cadence: "weekly" });

    const expired = manageToken(tokenSecret(), id, Date.now() - MANAGE_TTL_MS - 1_000);
    const forged = manageToken("another-secret-0123456789abcdef0123456789", id);
    const otherId = manageToken(tokenSecret(), id).replace(`m.${id}.`, `m.${id + 1n}.`);
    for (const token of [expired, forged, otherId, "m.1.x.y"]) {
      const answer = await json(await putDigest(request("PUT", "/api/me/digest", { cadence: "paused" }, bearer(token))));
      expect(answer.status).toBe(401);
    }
    expect(await row(reader.email)).toMatchObject({ cadence: "weekly" });
  });

  it("a mail link's token opens the preferences, not the private feed, and cannot subscribe again", async () => {
    const reader = await signedIn();
    await putDigest(request("PUT", "/api/me/digest", { subscribed: true, categories: ["cs.RO"] }, { cookie: reader.cookie }));
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id::text FROM subscriber WHERE email = $1`, [reader.email]);
    const bearer = { authorization: `Bearer ${manageToken(tokenSecret(), BigInt(rows[0]!.id))}` };
    const bySession = await json(await getDigest(request("GET", "/api/me/digest", undefined, { cookie: reader.cookie })));
    expect(bySession.body.feedUrl).toEqual(expect.stringContaining("/feed/f."));
    const byLink = await json(await getDigest(request("GET", "/api/me/digest", undefined, bearer)));
    expect(byLink.body).toMatchObject({ status: "confirmed", feedUrl: null });

    expect((await json(await putDigest(request("PUT", "/api/me/digest", { subscribed: false }, bearer)))).body).toMatchObject({ status: "unsubscribed" });
    const again = await json(await putDigest(request("PUT", "/api/me/digest", { subscribed: true }, bearer)));
    expect(again.status).toBe(401);
    expect(await row(reader.email)).toMatchObject({ status: "unsubscribed" });
  });

  it("an unauthenticated subscribe request never replaces what a signed-in person saved", async () => {
    const reader = await signedIn();
    await putDigest(request("PUT", "/api/me/digest", { categories: ["cs.RO"], keywords: ["diffusion"] }, { cookie: reader.cookie }));
    expect(await row(reader.email)).toMatchObject({ status: "unsubscribed", categories: ["cs.RO"] });
    const answer = await subscribeApi(request("POST", "/api/subscribe", { email: reader.email, categories: ["math.AG"], follow: ["spam"] }));
    expect(answer.status).toBe(202);
    expect(await row(reader.email)).toMatchObject({ status: "pending", categories: ["cs.RO"], keywords: ["diffusion"] });
  });

  it("two saves at once both land: each changes the row as the other left it", async () => {
    const reader = await signedIn();
    await putDigest(request("PUT", "/api/me/digest", { subscribed: true, categories: ["cs.RO"] }, { cookie: reader.cookie }));
    // Hold the row, so both requests have read what they read before either writes.
    const holder = await database.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM subscriber WHERE email = $1 FOR UPDATE`, [reader.email]);
      const first = putDigest(request("PUT", "/api/me/digest", { keywords: ["diffusion"] }, { cookie: reader.cookie }));
      const second = putDigest(request("PUT", "/api/me/digest", { authors: ["Sergey Levine"] }, { cookie: reader.cookie }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query("COMMIT");
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
    } finally {
      holder.release();
    }
    expect(await row(reader.email)).toMatchObject({ categories: ["cs.RO"], keywords: ["diffusion"], authors: ["Sergey Levine"] });
  });
});
