// The private feed of a subscriber's digest against real Postgres and an SMTP server: after digests
// are sent, /feed/<secret>.xml lists what that subscriber's mails carried (with why), newest first;
// a forged, borrowed, reset or malformed secret is a 404; ETag and 304; hostile text escaped; bounded.
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as getFeed } from "@/app/feed/[secret]/route";
import { POST as resetFeed } from "@/app/api/me/digest/feed/route";
import { GET as getDigest } from "@/app/api/me/digest/route";
import { env } from "@/lib/env";
import { tokenSecret } from "@/lib/mail/secret";
import { manageToken } from "@/lib/mail/tokens";
import { closeMailTransport } from "@/lib/mail/transport";
import { feedToken } from "@/lib/subscriptions/feed-token";
import { fromSomeClient, signedInAs } from "./client";
import { startSmtp, type TestSmtp } from "./smtp";
import { paperIds, sendDigestTo } from "./digest-run";
import { createAppDatabase, insertPapers, type TestDatabase, type TestPaper } from "./test-db";

let database: TestDatabase;
let smtp: TestSmtp;

const HOSTILE_TITLE = "<script>alert(1)</script> Grippers & <b>hands</b>";
const HOSTILE_ABSTRACT = 'We show <img src=x onerror="alert(1)"> & <a href="javascript:x">this</a> ]]> works.';

const PAPERS: TestPaper[] = [
  { id: "2606.20001", title: "Grasping by imitation", categories: ["cs.RO"], day: "2026-06-15", votes: 50 },
  { id: "2606.20002", title: "Vision transformers at scale", categories: ["cs.CV"], day: "2026-06-15", votes: 80 },
  { id: "2606.20003", title: HOSTILE_TITLE, categories: ["cs.RO"], day: "2026-06-15", votes: 30, abstract: HOSTILE_ABSTRACT },
  { id: "2606.20004", title: "Dexterous hands in simulation", categories: ["cs.RO"], day: "2026-06-16", votes: 40 },
  { id: "2606.20005", title: "Object detection revisited", categories: ["cs.CV"], day: "2026-06-16", votes: 10 },
];

beforeAll(async () => {
  database = await createAppDatabase();
  await insertPapers(database.pool, PAPERS);
  smtp = await startSmtp();
});

afterAll(async () => {
  closeMailTransport();
  await smtp.close();
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE digest, subscriber CASCADE`);
  smtp.reset();
});

async function subscriber(name: string, categories: string[] = [], status = "confirmed"): Promise<bigint> {
  const { rows } = await database.pool.query<{ id: string }>(
    `INSERT INTO subscriber (email, status, confirmed_at, categories) VALUES ($1, $2, now(), $3) RETURNING id::text`,
    [`${name}@example.org`, status, categories],
  );
  return BigInt(rows[0]!.id);
}

const send = (date: string) => sendDigestTo(smtp.url, { date });

// Requests arrive under a foreign Host: links must still come from APP_URL.
function request(method: string, path: string, headers: Record<string, string> = {}): NextRequest {
  return new NextRequest(new URL(path, "http://evil.example"), { method, headers: { host: "evil.example", ...fromSomeClient(), ...headers } });
}

const bearer = (id: bigint) => ({ authorization: `Bearer ${manageToken(tokenSecret(), id)}` });

/** A browser signed in as that subscriber's address (the feed is the signed-in person's, not a mail link's). */
async function signedInAsSubscriber(id: bigint): Promise<Record<string, string>> {
  const { rows } = await database.pool.query<{ email: string }>(`SELECT email FROM subscriber WHERE id = $1`, [id.toString()]);
  return { cookie: (await signedInAs(rows[0]!.email)).cookie };
}

/** GET /api/me/digest as that subscriber, signed in. */
async function feedUrlOf(id: bigint): Promise<string | null> {
  const response = await getDigest(request("GET", "/api/me/digest", await signedInAsSubscriber(id)));
  expect(response.status).toBe(200);
  return ((await response.json()) as { feedUrl: string | null }).feedUrl;
}

/** GET /feed/<file> as Next routes it: the last segment is the route's param. */
async function fetchFeed(urlOrFile: string, headers: Record<string, string> = {}) {
  const file = urlOrFile.startsWith("http") ? new URL(urlOrFile).pathname.replace(/^\/feed\//, "") : urlOrFile;
  const response = await getFeed(request("GET", `/feed/${file}`, headers), { params: Promise.resolve({ secret: file }) });
  const body = await response.text();
  return { response, body, feed: response.status === 200 ? parseFeed(body) : null };
}

const guid = (date: string, id: string) => `urn:trending-papers:digest:${date}:${id}`;

describe("the private feed of a digest", () => {
  it("lists each sent digest's papers, newest digest first, with links from APP_URL, why each is there, and the digest's date", async () => {
    const robotics = await subscriber("robotics", ["cs.RO"]);
    await send("2026-06-15");
    await send("2026-06-16");
    const [monday, tuesday] = smtp.to("robotics@example.org");
    expect(paperIds(monday!)).toEqual(["2606.20001", "2606.20003"]);
    expect(paperIds(tuesday!)).toEqual(["2606.20004"]);

    const url = await feedUrlOf(robotics);
    expect(url).toMatch(new RegExp(`^${env.APP_URL}/feed/f\\.${robotics}\\.[A-Za-z0-9_-]{32}\\.xml$`));
    expect(await feedUrlOf(robotics)).toBe(url); // the nonce is made once
    const { response, body, feed } = await fetchFeed(url!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    expect(XMLValidator.validate(body)).toBe(true);
    expect(feed!.title).toBe("Your Trending Papers digest");
    expect(feed!.self).toBe(url);
    expect(feed!.items.map((item) => item.id)).toEqual([guid("2026-06-16", "2606.20004"), guid("2026-06-15", "2606.20001"), guid("2026-06-15", "2606.20003")]);
    expect(feed!.items.map((item) => item.url)).toEqual(["2606.20004", "2606.20001", "2606.20003"].map((id) => `${env.APP_URL}/papers/${id}`));
    expect(feed!.items.map((item) => item.published?.toISOString())).toEqual(["2026-06-16", "2026-06-15", "2026-06-15"].map((day) => `${day}T00:00:00.000Z`));
    expect(feed!.items[0]!.description).toBe("Why: in cs.RO · trending #1 today.\n\nDexterous hands in simulation: an abstract.");
    expect(feed!.items[1]!.description).toMatch(/^Why: in cs\.RO · trending #2 today\.\n\nGrasping by imitation/);
    // The reasons the mails gave.
    expect(tuesday!.text).toContain("in cs.RO · trending #1 today");
    expect(monday!.text).toContain("in cs.RO · trending #2 today");
    expect(body).not.toContain("evil.example");
    expect(response.headers.get("cache-control")).toBe("private, max-age=300");
    expect(response.headers.get("x-robots-tag")).toBe("noindex");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("is each subscriber's own: another subscriber's feed lists their mails, the day's digest for everyone says its rank", async () => {
    const robotics = await subscriber("robotics", ["cs.RO"]);
    const vision = await subscriber("vision", ["cs.CV"]);
    const everyone = await subscriber("everyone");
    await send("2026-06-15");
    const ids = async (id: bigint) => (await fetchFeed((await feedUrlOf(id))!)).feed!.items.map((item) => (item.url ?? "").replace(`${env.APP_URL}/papers/`, ""));
    expect(await ids(robotics)).toEqual(["2606.20001", "2606.20003"]);
    expect(await ids(vision)).toEqual(["2606.20002"]);
    expect(await ids(everyone)).toEqual(paperIds(smtp.to("everyone@example.org")[0]!));
    const general = (await fetchFeed((await feedUrlOf(everyone))!)).feed!.items;
    expect(general[0]!.description).toMatch(/^Why: #1 of the day's trending papers\.\n\nVision transformers at scale/);
  });

  it("lists a digest still being sent, and not one that failed or was skipped", async () => {
    const robotics = await subscriber("robotics", ["cs.RO"]);
    await send("2026-06-15");
    await send("2026-06-16");
    const url = (await feedUrlOf(robotics))!;
    const dates = async () => [...new Set((await fetchFeed(url)).feed!.items.map((item) => item.published?.toISOString().slice(0, 10)))];
    expect(await dates()).toEqual(["2026-06-16", "2026-06-15"]);
    await database.pool.query(`UPDATE delivery SET status = 'pending', sent_at = NULL WHERE digest_date = '2026-06-16'`);
    expect(await dates()).toEqual(["2026-06-16", "2026-06-15"]);
    await database.pool.query(`UPDATE delivery SET status = 'failed' WHERE digest_date = '2026-06-16'`);
    expect(await dates()).toEqual(["2026-06-15"]);
    await database.pool.query(`UPDATE delivery SET status = 'skipped' WHERE digest_date = '2026-06-15'`);
    expect((await fetchFeed(url)).feed!.items).toEqual([]);
  });

  it("escapes markup in titles and abstracts: a reader gets it as text, never as a tag", async () => {
    const robotics = await subscriber("robotics", ["cs.RO"]);
    await send("2026-06-15");
    const { body, feed } = await fetchFeed((await feedUrlOf(robotics))!);
    const hostile = feed!.items.find((item) => item.url?.endsWith("/papers/2606.20003"))!;
    expect(hostile.title).toBe(HOSTILE_TITLE);
    expect(hostile.description).toBe(`Why: in cs.RO · trending #3 today.\n\n${HOSTILE_ABSTRACT}`);
    expect(XMLValidator.validate(body)).toBe(true);
    expect(body).not.toMatch(/<script|<b>|<img|<a |]]>|<!\[CDATA\[/);
    expect(body).toContain("&amp;lt;img src=x onerror=&amp;quot;alert(1)&amp;quot;&amp;gt;");
  });

  it("answers If-None-Match with a 304, and a new digest with a new ETag", async () => {
    const robotics = await subscriber("robotics", ["cs.RO"]);
    await send("2026-06-15");
    const url = (await feedUrlOf(robotics))!;
    const first = await fetchFeed(url);
    const etag = first.response.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect((await fetchFeed(url)).body).toBe(first.body);
    const again = await fetchFeed(url, { "if-none-match": etag });
    expect(again.response.status).toBe(304);
    expect(again.body).toBe("");
    expect(again.response.headers.get("cache-control")).toBe("private, max-age=300");
    expect((await fetchFeed(url, { "if-none-match": '"other"' })).response.status).toBe(200);
    await send("2026-06-16");
    const changed = await fetchFeed(url, { "if-none-match": etag });
    expect(changed.response.status).toBe(200);
    expect(changed.response.headers.get("etag")).not.toBe(etag);
  });

  it("is a 404, never a 500, for a forged secret, another subscriber's id with this signature, a malformed name, or a subscriber who left", async () => {
    const robotics = await subscriber("robotics", ["cs.RO"]);
    const vision = await subscriber("vision", ["cs.CV"]);
    const pending = await subscriber("pending", ["cs.RO"], "pending");
    await send("2026-06-15");
    const url = (await feedUrlOf(robotics))!;
    await feedUrlOf(vision);
    const file = new URL(url).pathname.replace("/feed/", "");
    const { rows } = await database.pool.query<{ nonce: string }>(`SELECT feed_nonce AS nonce FROM subscriber WHERE id = $1`, [robotics.toString()]);
    const nonce = rows[0]!.nonce;
    const signature = file.slice(`f.${robotics}.`.length, -".xml".length);
    const cases = [
      `${feedToken("another-secret-0123456789abcdef0123456789", robotics, nonce)}.xml`, // forged: another server's secret
      `f.${vision}.${signature}.xml`, // another id, the same signature
      `f.${pending}.${signature}.xml`,
      `${feedToken(tokenSecret(), robotics, "a-guessed-nonce0")}.xml`,
      file.replace(/\.xml$/, ""), // no .xml
      file.replace(/\.xml$/, ".json"),
      `f.${robotics}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}.xml`, // one character changed
      `f.9999999999999999999.${signature}.xml`, // past Postgres' bigint
      `f.${robotics}.${signature}.xml`.replace("f.", "u."),
      "f..xml",
      "%00.xml",
      `${"f".repeat(5000)}.xml`,
    ];
    for (const name of cases) {
      const { response, body } = await fetchFeed(name);
      expect({ name, status: response.status }).toEqual({ name, status: 404 });
      expect(JSON.parse(body)).toMatchObject({ error: { code: "not_found" } });
      expect(response.headers.get("x-robots-tag")).toBe("noindex");
    }
    expect((await fetchFeed(file)).response.status).toBe(200);
    expect(await feedUrlOf(pending)).toBeNull();

    await database.pool.query(`UPDATE subscriber SET status = 'unsubscribed', unsubscribed_at = now() WHERE id = $1`, [robotics.toString()]);
    expect((await fetchFeed(file)).response.status).toBe(404);
    expect(await feedUrlOf(robotics)).toBeNull();
  });

  it("a reset gives a new address at once and the old one is a 404; from this site's pages only, for the owner only", async () => {
    const robotics = await subscriber("robotics", ["cs.RO"]);
    await send("2026-06-15");
    const old = (await feedUrlOf(robotics))!;
    expect((await fetchFeed(old)).response.status).toBe(200);

    const crossSite = await resetFeed(request("POST", "/api/me/digest/feed", { ...(await signedInAsSubscriber(robotics)), origin: "https://evil.example" }));
    expect(crossSite.status).toBe(403);
    expect((await resetFeed(request("POST", "/api/me/digest/feed"))).status).toBe(401);
    expect((await fetchFeed(old)).response.status).toBe(200);

    // A mail link's token, which travels with the mail, cannot reset (or read) the feed.
    expect((await resetFeed(request("POST", "/api/me/digest/feed", { ...bearer(robotics), origin: new URL(env.APP_URL).origin }))).status).toBe(401);
    const reset = await resetFeed(request("POST", "/api/me/digest/feed", { ...(await signedInAsSubscriber(robotics)), origin: new URL(env.APP_URL).origin }));
    expect(reset.status).toBe(200);
    expect(reset.headers.get("cache-control")).toBe("private, no-store");
    const { feedUrl } = (await reset.json()) as { feedUrl: string };
    expect(feedUrl).toMatch(new RegExp(`^${env.APP_URL}/feed/f\\.${robotics}\\.[A-Za-z0-9_-]{32}\\.xml$`));
    expect(feedUrl).not.toBe(old);
    expect(await feedUrlOf(robotics)).toBe(feedUrl);
    expect((await fetchFeed(old)).response.status).toBe(404);
    const fresh = await fetchFeed(feedUrl);
    expect(fresh.response.status).toBe(200);
    expect(fresh.feed!.items).toHaveLength(2);

    const gone = await subscriber("gone", ["cs.RO"], "unsubscribed");
    expect((await resetFeed(request("POST", "/api/me/digest/feed", await signedInAsSubscriber(gone)))).status).toBe(409);
  });

  it("holds the last 30 digests, newest first, of at most 50 papers each", async () => {
    const reader = await subscriber("reader");
    const papers = Array.from({ length: 60 }, (_, index) => ({ id: `2605.${String(30000 + index)}`, title: `Paper ${index + 1}`, abstract: "Text.", rank: index + 1, authors: [], categories: [] }));
    const days = Array.from({ length: 32 }, (_, index) => new Date(Date.UTC(2026, 4, 1 + index)).toISOString().slice(0, 10));
    await database.pool.query(`INSERT INTO digest (date, papers) SELECT d::date, $2::jsonb FROM unnest($1::text[]) AS d`, [days, JSON.stringify(papers)]);
    await database.pool.query(`INSERT INTO delivery (digest_date, subscriber_id, status) SELECT d::date, $2, 'sent' FROM unnest($1::text[]) AS d`, [days, reader.toString()]);
    const { feed } = await fetchFeed((await feedUrlOf(reader))!);
    expect(feed!.items).toHaveLength(30 * 50);
    const dates = [...new Set(feed!.items.map((item) => item.published!.toISOString().slice(0, 10)))];
    expect(dates).toEqual(days.slice(2).reverse());
    expect(feed!.items.at(-1)!.title).toBe("Paper 50");
  });
});
