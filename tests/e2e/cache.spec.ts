// The page cache across processes, against the production server as npm start runs it, plus a
// second web process on the same database: a change made through one process, or by the ingest,
// digest or reindex CLI, shows in both within 5 s, pages it does not touch stay cached, and no page
// carries one person's state to another. No browser needed: x-cache says whether a page came from
// the cache (HIT) or was rendered (MISS).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eServices, servicesEnv, sessionFor } from "./services";
import { startWebProcess, type WebProcess } from "./web-process";

// The top paper of a day no other test looks at (2026-06-10): two more votes move no other test's list.
const PAPER = "2606.10651";
const MARKER = "Cache invalidation across processes, announced over LISTEN and NOTIFY.";
// A listed day of the fixtures that no other test freezes a digest for.
const DIGEST_DAY = "2026-06-12";
const WITHIN = { timeout: 5_000, intervals: [100, 200, 250] };

let other: WebProcess;
let first: string;

// Both tests below vote on PAPER and read its pages: one at a time. Other files' votes and digests
// still change pages under them, which the checks allow for.
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  first = e2eServices().appUrl;
  other = await startWebProcess();
});

test.afterAll(async () => {
  await other?.stop();
});

type Got = { status: number; cache: string | null; body: string };

async function get(base: string, pathname: string, headers: Record<string, string> = {}): Promise<Got> {
  const response = await fetch(new URL(pathname, base), { headers });
  return { status: response.status, cache: response.headers.get("x-cache"), body: await response.text() };
}

/**
 * Fetches until the second of two answers comes from that process's cache. Another test's change
 * (a vote, a digest) may drop the page in between; this test's own changes come after.
 */
async function cached(base: string, pathname: string): Promise<Got> {
  let again: Got | undefined;
  await expect(async () => {
    await get(base, pathname);
    again = await get(base, pathname);
    expect(again.cache, `${base}${pathname} is served from the cache`).toBe("HIT");
  }).toPass({ timeout: 10_000, intervals: [100, 250, 500] });
  return again!;
}

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eServices().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The digest list, cached before `since`, is still the stored copy: a change of papers or votes
 * leaves it. Only a digest frozen meanwhile (another test's, announced within a few seconds) may
 * have dropped it.
 */
async function expectDigestListStillCached(base: string, since: Date): Promise<void> {
  const got = await get(base, "/digests");
  if (got.cache === "HIT") return;
  const frozen = await query<{ date: Date }>(`SELECT date FROM digest WHERE created_at > $1`, [new Date(since.getTime() - 5_000)]);
  expect(frozen, `${base}/digests was rendered again though no digest was frozen since it was cached`).not.toEqual([]);
}

function runCli(script: string, args: string[]): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...servicesEnv(), MEILI_MASTER_KEY: e2eServices().meiliMasterKey },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** The paper's own daily-papers record again, its abstract ending in MARKER: an update, as a new harvest brings. */
function updatedPaperFile(): string {
  const fixture = path.join(process.cwd(), "tests/fixtures/hf-daily-papers/2026-06-10.json");
  const records = JSON.parse(fs.readFileSync(fixture, "utf8")) as { paper: { id: string; summary: string }; summary?: string }[];
  const record = records.find((entry) => entry.paper.id === PAPER)!;
  record.paper.summary = `${record.paper.summary} ${MARKER}`;
  if (record.summary) record.summary = record.paper.summary;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "trending-papers-cache-")), "daily.json");
  fs.writeFileSync(file, JSON.stringify([record]));
  return file;
}

async function confirmedSubscriber(email: string): Promise<void> {
  await query(`INSERT INTO subscriber (email, status, confirmed_at) VALUES ($1, 'confirmed', now()) ON CONFLICT (email) DO NOTHING`, [email]);
}

test("an ingest, a vote, a frozen digest and a reindex reach the cache of both web processes within 5 s; other pages stay cached", async () => {
  test.setTimeout(120_000);
  const processes = [first, other.url];
  // Before: the paper page without the marker, the digest a cached 404, the digest list a cached page, in both.
  for (const base of processes) {
    expect((await cached(base, `/papers/${PAPER}`)).body).not.toContain(MARKER);
    expect((await cached(base, `/digests/${DIGEST_DAY}`)).status).toBe(404);
    await cached(base, "/digests");
  }
  const listCached = new Date();

  // An ingest by the CLI (a process with no page cache of its own).
  runCli("scripts/ingest.ts", [updatedPaperFile()]);
  for (const base of processes) {
    await expect.poll(async () => (await get(base, `/papers/${PAPER}`)).body, WITHIN).toContain(MARKER);
    // The digest list does not depend on papers: still the stored copy.
    await expectDigestListStillCached(base, listCached);
  }

  // A vote through the first process; the second's cached API answer and page follow.
  const before = JSON.parse((await cached(other.url, `/api/papers/${PAPER}`)).body) as { votes: number };
  await cached(other.url, `/papers/${PAPER}`);
  const token = await sessionFor("cache-voter@example.org");
  const vote = await fetch(new URL("/api/votes", first), {
    method: "POST",
    headers: { "content-type": "application/json", cookie: `tp_session=${token}`, origin: first },
    body: JSON.stringify({ paperId: PAPER, voted: true }),
  });
  expect(vote.status, await vote.clone().text()).toBe(200);
  expect(((await vote.json()) as { votes: number }).votes).toBe(before.votes + 1);
  await expect.poll(async () => (JSON.parse((await get(other.url, `/api/papers/${PAPER}`)).body) as { votes: number }).votes, WITHIN).toBe(before.votes + 1);
  await expect.poll(async () => (await get(other.url, `/papers/${PAPER}`)).body, WITHIN).toContain(`<span class="votes-count">${before.votes + 1}</span>`);
  await expectDigestListStillCached(other.url, listCached);

  // A digest frozen by the digest CLI: its page and the list change in both.
  const reader = `cache-reader-${Date.now()}@example.org`;
  await confirmedSubscriber(reader);
  runCli("scripts/digest.ts", ["--date", DIGEST_DAY, "--only", reader]);
  for (const base of processes) {
    await expect.poll(async () => (await get(base, `/digests/${DIGEST_DAY}`)).status, WITHIN).toBe(200);
    await expect.poll(async () => (await get(base, "/digests")).body, WITHIN).toContain(`/digests/${DIGEST_DAY}`);
    await cached(base, `/digests/${DIGEST_DAY}`);
    await cached(base, `/papers/${PAPER}`);
  }

  // A reindex by its CLI: paper pages (their similar papers come from the index) are rendered
  // anew, the frozen digest is not.
  runCli("scripts/search-reindex.ts", []);
  for (const base of processes) {
    await expect.poll(async () => (await get(base, `/papers/${PAPER}`)).cache, WITHIN).toBe("MISS");
    expect((await get(base, `/digests/${DIGEST_DAY}`)).cache).toBe("HIT");
  }
});

test("a signed-in voter's vote never shows in a page another visitor is served", async () => {
  const paper = PAPER;
  const token = await sessionFor("private-voter@example.org");
  const cookie = `tp_session=${token}`;
  const vote = await fetch(new URL("/api/votes", first), {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: first },
    body: JSON.stringify({ paperId: paper, voted: true }),
  });
  expect(vote.status).toBe(200);
  // The voter's own view: their vote is theirs, asked for by the browser.
  const mine = await fetch(new URL(`/api/votes?ids=${paper}`, first), { headers: { cookie } });
  expect(mine.headers.get("cache-control")).toBe("private, no-store");
  expect(await mine.json()).toEqual({ voted: [paper], canVote: true });
  const theirs = await fetch(new URL(`/api/votes?ids=${paper}`, first));
  expect(await theirs.json()).toEqual({ voted: [], canVote: false });

  // A page rendered for the voter, with their cookie (a URL no other test asks for, so this is its
  // first render), says nothing of them, and is the very page anyone else is then served. A change
  // in between (this vote's own announcement, another test's vote) may drop the copy before the
  // stranger asks: then again at a new URL. Every render for the voter is checked.
  for (const pathname of [`/papers/${paper}?from=cache-test`, "/?date=2026-06-10&from=cache-test"]) {
    let servedToStranger = false;
    for (let attempt = 1; attempt <= 5 && !servedToStranger; attempt++) {
      const url = `${pathname}-${attempt}`;
      const asVoter = await get(first, url, { cookie });
      expect(asVoter.cache).toBe("MISS");
      expect(asVoter.body).toContain(paper);
      expect(asVoter.body).not.toContain('aria-pressed="true"');
      expect(asVoter.body).not.toContain("Remove your upvote");
      const asStranger = await get(first, url);
      if (asStranger.cache !== "HIT") continue;
      expect(asStranger.body).toBe(asVoter.body);
      servedToStranger = true;
    }
    expect(servedToStranger, `the voter's render of ${pathname} was served to someone else`).toBe(true);
  }
});

test("a feed reader that polls with its ETag is never refused, however often it asks", async () => {
  // More polls than the per-IP limit allows renders in a minute (API_LIMIT_IP, 300): answered from
  // the cache, none of them renders, so none of them counts.
  const firstPoll = await fetch(new URL("/feed.xml", first));
  expect(firstPoll.status).toBe(200);
  let etag = firstPoll.headers.get("etag");
  expect(etag).toBeTruthy();
  await firstPoll.arrayBuffer();
  const statuses = new Map<number, number>();
  for (let poll = 0; poll < 400; poll++) {
    const response = await fetch(new URL("/feed.xml", first), { headers: { "if-none-match": etag! } });
    await response.arrayBuffer();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    // A change in between (another test's vote) makes one answer a fresh 200 with a new ETag.
    if (response.status === 200) {
      expect(response.headers.get("etag")).not.toBe(etag);
      etag = response.headers.get("etag");
    }
  }
  expect(statuses.get(429) ?? 0).toBe(0);
  expect(statuses.get(304) ?? 0).toBeGreaterThan(300);
});
