// Live sources against a local server that answers with recorded arXiv and Hugging Face responses:
// OAI-PMH paging and errors, the arXiv API, daily papers, and the politeness rules (spacing across
// connections, Retry-After, retries, User-Agent), with what was stored, reported and saved.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as getHealth } from "@/app/api/health/route";
import { fetchArxivIds, fetchArxivQuery } from "@/lib/harvest/arxiv-api";
import { harvestOai } from "@/lib/harvest/arxiv-oai";
import { politeFetch } from "@/lib/harvest/fetch";
import { harvestHfDaily } from "@/lib/harvest/hf-daily";
import { harvestStatus } from "@/lib/harvest/state";
import { parseOaiXml } from "@/lib/ingest/parsers/arxiv-oai";
import { IngestWriter } from "@/lib/ingest/run-ingest";
import { gaps, startHttpSource, type HttpSource } from "./http-source";
import { createAppDatabase, type TestDatabase } from "./test-db";

const FIXTURES = path.join(process.cwd(), "tests", "fixtures");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");
const HEP_TH = fixture("arxiv-oai/arxiv-listrecords-hep-th.xml");
const RAW_LIST = fixture("arxiv-oai/arxivraw-listrecords.xml");
const RAW_GET = fixture("arxiv-oai/arxivraw-getrecord.xml");
const NO_RECORDS = fixture("arxiv-oai/error-norecordsmatch.xml");
const BAD_TOKEN = fixture("arxiv-oai/error-badresumptiontoken.xml");
const TODAY = "2026-05-08";
/** ARXIV_MIN_INTERVAL_MS and FETCH_RETRY_MS in the integration tests' environment. */
const ARXIV_INTERVAL = 200;

let database: TestDatabase;
let source: HttpSource;

/** The page with its resumption token replaced: a token, or the empty element that ends a list. */
function withToken(xml: string, token: string | null): string {
  const bare = xml.replace(/<resumptionToken[^>]*\/>|<resumptionToken[^>]*>[^<]*<\/resumptionToken>/g, "");
  const element = token === null ? "<resumptionToken/>" : `<resumptionToken cursor="0" completeListSize="10">${token}</resumptionToken>`;
  return bare.replace("</ListRecords>", `${element}</ListRecords>`);
}

/** The arXiv ids a recorded page holds, read by the same parser the files use. */
function idsIn(...pages: string[]): string[] {
  return pages
    .flatMap((xml) => parseOaiXml(xml, "page"))
    .flatMap((event) => (event.kind === "record" ? [String(event.candidate.id)] : []))
    .sort();
}

async function storedIds(): Promise<string[]> {
  const { rows } = await database.pool.query<{ id: string }>(`SELECT id FROM paper ORDER BY id`);
  return rows.map((row) => row.id);
}

async function state(scope = "cs") {
  const { rows } = await database.pool.query(`SELECT position, last_success_at, last_error, last_records FROM harvest_state WHERE source = 'arxiv-oai' AND scope = $1`, [scope]);
  return rows[0];
}

const oai = (options: Partial<Parameters<typeof harvestOai>[1]> = {}) =>
  harvestOai(database.pool, { baseUrl: `${source.url}/oai`, set: "cs", today: TODAY, ...options });

beforeAll(async () => {
  database = await createAppDatabase();
  source = await startHttpSource();
});

afterAll(async () => {
  await source.close();
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE paper, paper_source, ingest_run, harvest_state, harvest_day, fetch_gate CASCADE`);
  source.reset();
});

describe("arXiv OAI-PMH", () => {
  it("follows resumption tokens to the end, spaced, and saves the first responseDate as the next `from`", async () => {
    const pages = [withToken(HEP_TH, "page-2"), withToken(RAW_LIST, "page-3"), RAW_GET];
    source.answer = (_request, n) => ({ body: pages[n - 1] ?? NO_RECORDS });
    const outcome = await oai();

    expect(outcome).toMatchObject({ ok: true, pages: 3, error: null });
    expect(await storedIds()).toEqual([...new Set(idsIn(...pages))].sort());
    expect(outcome.summary.rejected).toBe(0);

    const [first, second, third] = source.requests.map((request) => Object.fromEntries(request.url.searchParams));
    expect(first).toEqual({ verb: "ListRecords", metadataPrefix: "arXiv", from: "2026-05-05", set: "cs" });
    expect(second).toEqual({ verb: "ListRecords", resumptionToken: "page-2" });
    expect(third).toEqual({ verb: "ListRecords", resumptionToken: "page-3" });
    for (const gap of gaps(source.requests)) expect(gap).toBeGreaterThanOrEqual(ARXIV_INTERVAL - 5);
    for (const request of source.requests) expect(request.userAgent).toMatch(/^TrendingPapers\/\S+ \(\+http:\/\/localhost:3000; mailto:ops@papers\.test\)$/);

    // The first page's responseDate (2017-12-14T12:56:31Z) is where the next harvest starts.
    expect(await state()).toMatchObject({ position: "2017-12-14", last_error: null, last_records: outcome.summary.inserted });
    source.reset();
    source.answer = () => ({ body: NO_RECORDS });
    await oai();
    expect(source.requests[0]!.url.searchParams.get("from")).toBe("2017-12-14");
  });

  it("treats noRecordsMatch as an empty harvest, not an error", async () => {
    source.answer = () => ({ body: NO_RECORDS });
    const outcome = await oai();
    expect(outcome).toMatchObject({ ok: true, pages: 1, error: null, position: "2015-06-23" });
    expect(outcome.summary).toMatchObject({ read: 0, rejected: 0 });
    const { rows } = await database.pool.query(`SELECT status FROM ingest_run`);
    expect(rows).toEqual([{ status: "succeeded" }]);
  });

  it("restarts from the saved `from` when the server forgets a resumption token", async () => {
    await database.pool.query(`INSERT INTO harvest_state (source, scope, position) VALUES ('arxiv-oai', 'cs', '2026-05-01')`);
    const script = [withToken(HEP_TH, "lost"), BAD_TOKEN, withToken(HEP_TH, "kept"), withToken(RAW_LIST, null)];
    source.answer = (_request, n) => ({ body: script[n - 1] ?? NO_RECORDS });
    const outcome = await oai();
    expect(outcome).toMatchObject({ ok: true, pages: 4 });
    const asked = source.requests.map((request) => request.url.searchParams.get("resumptionToken") ?? `from=${request.url.searchParams.get("from")}`);
    expect(asked).toEqual(["from=2026-05-01", "lost", "from=2026-05-01", "kept"]);
    expect(await storedIds()).toEqual(idsIn(HEP_TH, RAW_LIST));
  });

  it("reports other OAI-PMH errors and keeps the saved position", async () => {
    await database.pool.query(`INSERT INTO harvest_state (source, scope, position) VALUES ('arxiv-oai', 'cs', '2026-05-01')`);
    const cannotDisseminate = NO_RECORDS.replace(/code="noRecordsMatch">[^<]*/, 'code="cannotDisseminateFormat">Format oai_xyz is not supported');
    source.answer = () => ({ body: cannotDisseminate });
    const outcome = await oai();
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toBe("OAI-PMH error cannotDisseminateFormat: Format oai_xyz is not supported");
    expect(await state()).toMatchObject({ position: "2026-05-01", last_success_at: null, last_error: outcome.error });
  });

  it("waits for Retry-After on 503, for every process, then carries on", async () => {
    source.answer = (_request, n) => (n === 1 ? { status: 503, headers: { "retry-after": "1" }, body: "<html><title>Service Unavailable</title></html>" } : { body: withToken(HEP_TH, null) });
    const outcome = await oai();
    expect(outcome).toMatchObject({ ok: true });
    expect(source.requests).toHaveLength(2);
    expect(gaps(source.requests)[0]).toBeGreaterThanOrEqual(1_000 - 5);
    expect(await storedIds()).toEqual(idsIn(HEP_TH));
  });

  it("backs off after 429, a timeout and a truncated body, and stores the page once it comes whole", async () => {
    const faults = [
      { status: 429, body: "Too Many Requests" },
      { hang: true as const },
      { truncate: withToken(HEP_TH, null) },
    ];
    source.answer = (_request, n) => (n <= 1 ? faults[0]! : { body: withToken(HEP_TH, null) });
    expect(await oai()).toMatchObject({ ok: true });
    source.reset();
    await database.pool.query(`TRUNCATE paper, paper_source, harvest_state CASCADE`);
    source.answer = (_request, n) => (n === 1 ? faults[1]! : n === 2 ? faults[2]! : { body: withToken(HEP_TH, null) });
    const outcome = await oai();
    expect(outcome).toMatchObject({ ok: true, pages: 1 });
    expect(source.requests).toHaveLength(3);
    // The first wait is FETCH_RETRY_MS (50 ms) but never less than the gate's interval.
    for (const gap of gaps(source.requests)) expect(gap).toBeGreaterThanOrEqual(ARXIV_INTERVAL - 5);
    expect(await storedIds()).toEqual(idsIn(HEP_TH));
  });

  it("gives up after a bounded number of retries on an HTML page instead of XML, and reports it", async () => {
    await database.pool.query(`INSERT INTO harvest_state (source, scope, position) VALUES ('arxiv-oai', 'cs', '2026-05-01')`);
    source.answer = () => ({ headers: { "content-type": "text/html" }, body: "<!DOCTYPE html><html><head><title>arXiv is down for maintenance</title></head><body>Back soon</body></html>" });
    const outcome = await oai();
    expect(outcome.ok).toBe(false);
    // FETCH_MAX_RETRIES is 2: three requests in all.
    expect(source.requests).toHaveLength(3);
    expect(outcome.error).toContain('an HTML page ("arXiv is down for maintenance")');
    expect(outcome.error).toContain("gave up after 3 tries");
    expect(await state()).toMatchObject({ position: "2026-05-01", last_error: outcome.error });
    // The next harvest starts from the same place.
    source.reset();
    source.answer = () => ({ body: NO_RECORDS });
    await oai();
    expect(source.requests[0]!.url.searchParams.get("from")).toBe("2026-05-01");
  });

  it("keeps the records of the pages before a failure, and the position where it was", async () => {
    await database.pool.query(`INSERT INTO harvest_state (source, scope, position) VALUES ('arxiv-oai', 'cs', '2026-05-01')`);
    source.answer = (_request, n) => (n === 1 ? { body: withToken(HEP_TH, "next") } : { truncate: withToken(RAW_LIST, null) });
    const outcome = await oai();
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/truncated|terminated|network error/);
    expect(await storedIds()).toEqual(idsIn(HEP_TH));
    expect((await state()).position).toBe("2026-05-01");
  });

  it("reads XML whose namespace declarations are missing by element names", async () => {
    const bare = withToken(HEP_TH, null).replace(/\s+xmlns(:\w+)?="[^"]*"/g, "").replace(/\s+xsi:schemaLocation="[^"]*"/g, "");
    expect(bare).not.toContain("xmlns");
    source.answer = () => ({ body: bare });
    expect(await oai()).toMatchObject({ ok: true });
    expect(await storedIds()).toEqual(idsIn(HEP_TH));
  });

  it("keeps only the configured categories", async () => {
    source.answer = () => ({ body: withToken(HEP_TH, null) });
    const outcome = await oai({ categories: ["math-ph"] });
    const { rows } = await database.pool.query<{ categories: string[] }>(`SELECT categories FROM paper`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(idsIn(HEP_TH).length);
    for (const row of rows) expect(row.categories).toContain("math-ph");
    expect(outcome.summary.read).toBe(rows.length);
  });
});

describe("the request gate", () => {
  it("spaces requests from separate database sessions (as separate processes would be) and never overlaps them", async () => {
    const pools = [new pg.Pool({ connectionString: database.url, max: 2 }), new pg.Pool({ connectionString: database.url, max: 2 })];
    let inFlight = 0;
    let overlapped = false;
    source.answer = async () => {
      inFlight += 1;
      overlapped ||= inFlight > 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight -= 1;
      return { body: "ok" };
    };
    try {
      await Promise.all(
        pools.flatMap((pool) => [1, 2, 3].map((n) => politeFetch(pool, `${source.url}/q?n=${n}`, { gate: "arxiv.org", minIntervalMs: ARXIV_INTERVAL }))),
      );
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
    expect(source.requests).toHaveLength(6);
    expect(overlapped).toBe(false);
    for (const gap of gaps(source.requests)) expect(gap).toBeGreaterThanOrEqual(ARXIV_INTERVAL - 5);
  });

  it("refuses a Retry-After beyond the limit instead of waiting for it", async () => {
    source.answer = () => ({ status: 503, headers: { "retry-after": "3600" }, body: "busy" });
    await expect(politeFetch(database.pool, `${source.url}/q`, { gate: "test", minIntervalMs: 0 })).rejects.toThrow(/asks to wait 3600 s, over the 5 s limit/);
    expect(source.requests).toHaveLength(1);
  });

  it("does not retry a 404", async () => {
    source.answer = () => ({ status: 404, body: "not here" });
    await expect(politeFetch(database.pool, `${source.url}/q`, { gate: "test", minIntervalMs: 0 })).rejects.toThrow(/HTTP 404/);
    expect(source.requests).toHaveLength(1);
  });
});

describe("arXiv API", () => {
  const api = () => `${source.url}/api/query`;

  it("looks papers up by id and reports ids arXiv does not know", async () => {
    source.answer = (request) => {
      const ids = request.url.searchParams.get("id_list");
      return { body: ids === "1605.08386,0000.0000" ? fixture("arxiv-atom/id_1605.08386_s0_m100_199195aa31ad.xml") : "" };
    };
    const writer = await IngestWriter.start(database.pool, ["test"]);
    await fetchArxivIds(database.pool, writer, ["1605.08386", "0000.0000"], { baseUrl: api() });
    const summary = await writer.finish();
    expect(await storedIds()).toEqual(["1605.08386"]);
    expect(summary.rejections).toEqual([{ location: "arxiv:0000.0000", reason: "arXiv has no paper with this id" }]);
    expect(source.requests[0]!.url.searchParams.get("max_results")).toBe("2");
  });

  it("reports arXiv's error feed with arXiv's message", async () => {
    source.answer = () => ({ body: fixture("arxiv-atom/id_abc_s0_m100_b79c8dcf6bc3.xml") });
    const writer = await IngestWriter.start(database.pool, ["test"]);
    await fetchArxivQuery(database.pool, writer, `${api()}?id_list=abc`);
    const summary = await writer.finish(undefined, { emptyIsFine: true });
    expect(summary.rejections).toHaveLength(1);
    expect(summary.rejections[0]!.reason).toMatch(/^arXiv API error: incorrect id format for abc/);
  });

  it("pages a search with start and max_results", async () => {
    const feed = fixture("arxiv-atom/q_testing_s0_m100_cfe7536492ca.xml");
    source.answer = () => ({ body: feed });
    const writer = await IngestWriter.start(database.pool, ["test"]);
    const pages = await fetchArxivQuery(database.pool, writer, `${api()}?search_query=all:testing&max_results=250`);
    await writer.finish();
    expect(pages).toBe(3);
    const asked = source.requests.map((request) => [request.url.searchParams.get("start"), request.url.searchParams.get("max_results")]);
    expect(asked).toEqual([["0", "100"], ["100", "100"], ["200", "50"]]);
    expect((await storedIds()).length).toBe(100);
  });
});

describe("Hugging Face daily papers", () => {
  const hf = () => `${source.url}/api/daily_papers`;
  const dayFile = (day: string) => {
    try {
      return fixture(`hf-daily-papers/${day}.json`);
    } catch {
      return "[]";
    }
  };

  it("fetches each day once, and the most recent again for fresh votes", async () => {
    source.answer = (request) => ({ headers: { "content-type": "application/json" }, body: dayFile(request.url.searchParams.get("date") ?? "") });
    // Of the recorded days, 2026-05-21 is the one in this window; the others answer with no papers.
    const first = await harvestHfDaily(database.pool, { baseUrl: hf(), today: "2026-05-21" });
    expect(first.ok).toBe(true);
    expect(source.requests.map((request) => request.url.searchParams.get("date"))).toEqual(["2026-05-18", "2026-05-19", "2026-05-20", "2026-05-21"]);
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM paper`);
    expect(rows[0].n).toBe(first.summary.inserted);
    expect(first.summary.inserted).toBeGreaterThan(30);

    source.reset();
    source.answer = (request) => ({ body: dayFile(request.url.searchParams.get("date") ?? "") });
    const next = await harvestHfDaily(database.pool, { baseUrl: hf(), today: "2026-05-24" });
    // New days since the last run, and HF_REFRESH_DAYS (1) back from today.
    expect(source.requests.map((request) => request.url.searchParams.get("date"))).toEqual(["2026-05-22", "2026-05-23", "2026-05-24"]);
    expect(next.ok).toBe(true);
    for (const gap of gaps(source.requests)) expect(gap).toBeGreaterThanOrEqual(50 - 5);

    // Run again the same day: only the refreshed days are asked for.
    source.reset();
    source.answer = () => ({ body: "[]" });
    await harvestHfDaily(database.pool, { baseUrl: hf(), today: "2026-05-24" });
    expect(source.requests.map((request) => request.url.searchParams.get("date"))).toEqual(["2026-05-23", "2026-05-24"]);
  });

  it("records the days that failed as not fetched, so the next run asks again", async () => {
    source.answer = (request) => (request.url.searchParams.get("date") === "2026-05-06" ? { status: 500, body: "oops" } : { body: dayFile(request.url.searchParams.get("date") ?? "") });
    const outcome = await harvestHfDaily(database.pool, { baseUrl: hf(), today: TODAY });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^1 of 4 days failed: 2026-05-06: .*HTTP 500/);
    const { rows } = await database.pool.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM harvest_day ORDER BY day`);
    expect(rows.map((row) => row.day)).toEqual(["2026-05-05", "2026-05-07", "2026-05-08"]);
    const [status] = (await harvestStatus(database.pool)).filter((row) => row.source === "hf-daily");
    expect(status).toMatchObject({ late: true, lastSuccessAt: null });
    expect(status!.lastError).toContain("2026-05-06");
  });
});

describe("/api/health", () => {
  it("reports the last harvest of each configured source and whether it is late", async () => {
    source.answer = () => ({ body: NO_RECORDS });
    await oai();
    const body = await (await getHealth()).json();
    expect(body.harvest.late).toBe(true);
    const bySource = Object.fromEntries(body.harvest.sources.map((row: { source: string; scope: string }) => [`${row.source}:${row.scope}`, row]));
    expect(Object.keys(bySource).sort()).toEqual(["arxiv-oai:cs", "hf-daily:"]);
    expect(bySource["arxiv-oai:cs"]).toMatchObject({ late: false, lastError: null, position: "2015-06-23" });
    expect(Date.parse(bySource["arxiv-oai:cs"].lastSuccessAt)).toBeGreaterThan(Date.now() - 60_000);
    // Never harvested: late.
    expect(bySource["hf-daily:"]).toMatchObject({ late: true, lastSuccessAt: null });
  });
});

/** Runs a CLI script in its own process against the test database and the local source server. */
async function runScript(script: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      // No search engine in these tests: the scripts say so and go on.
      MEILI_URL: "http://127.0.0.1:9",
      ARXIV_API_URL: `${source.url}/api/query`,
      ARXIV_OAI_URL: `${source.url}/oai`,
      HF_DAILY_URL: `${source.url}/api/daily_papers`,
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, output };
}

describe("npm run harvest", () => {
  it("two harvests in separate processes at once share the gate: arXiv requests stay spaced and never overlap", async () => {
    let inFlight = 0;
    let overlapped = false;
    source.answer = async (request) => {
      if (request.url.pathname.endsWith("/daily_papers")) return { body: "[]" };
      inFlight += 1;
      overlapped ||= inFlight > 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      const token = request.url.searchParams.get("resumptionToken");
      return { body: token === null ? withToken(HEP_TH, `${request.url.searchParams.get("set")}-2`) : withToken(RAW_LIST, null) };
    };
    const [one, two] = await Promise.all([
      runScript("scripts/harvest.ts", ["--source", "arxiv-oai"], { ARXIV_SETS: "cs" }),
      runScript("scripts/harvest.ts", ["--source", "arxiv-oai"], { ARXIV_SETS: "math" }),
    ]);
    expect(one.code, one.output).toBe(0);
    expect(two.code, two.output).toBe(0);
    expect(one.output).toMatch(/arXiv OAI-PMH cs \(arXiv\) from \d{4}-\d{2}-\d{2}: done, 2 pages read/);
    const arxiv = source.requests.filter((request) => request.url.pathname === "/oai");
    expect(arxiv).toHaveLength(4);
    expect(overlapped).toBe(false);
    for (const gap of gaps(arxiv)) expect(gap).toBeGreaterThanOrEqual(ARXIV_INTERVAL - 5);
    const { rows } = await database.pool.query(`SELECT scope, position FROM harvest_state ORDER BY scope`);
    expect(rows).toEqual([
      { scope: "cs", position: "2017-12-14" },
      { scope: "math", position: "2017-12-14" },
    ]);
    expect(await storedIds()).toEqual(idsIn(HEP_TH, RAW_LIST));
  }, 90_000);

  it("exits 1 and says which source failed, keeping the others' results", async () => {
    source.answer = (request) => (request.url.pathname === "/oai" ? { status: 500, body: "down" } : { body: "[]" });
    const { code, output } = await runScript("scripts/harvest.ts", [], { INGEST_SOURCES: "hf-daily,arxiv-oai", ARXIV_SETS: "cs" });
    expect(code, output).toBe(1);
    expect(output).toMatch(/Hugging Face daily papers, .*: done/);
    expect(output).toMatch(/arXiv OAI-PMH cs \(arXiv\) from .*: FAILED, 0 pages read/);
    expect(output).toMatch(/HTTP 500/);
    const { rows } = await database.pool.query(`SELECT source, last_success_at IS NOT NULL AS ok FROM harvest_state ORDER BY source`);
    expect(rows).toEqual([
      { source: "arxiv-oai", ok: false },
      { source: "hf-daily", ok: true },
    ]);
  }, 90_000);
});

describe("npm run ingest with arXiv ids and URLs", () => {
  it("fetches one paper by id or abs link through the API", async () => {
    source.answer = () => ({ body: fixture("arxiv-atom/id_2104.12255v1_s0_m100_6ae69987ffe1.xml") });
    const { code, output } = await runScript("scripts/ingest.ts", ["https://arxiv.org/abs/2104.12255v1"]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/1 read, 1 inserted/);
    expect(source.requests[0]!.url.searchParams.get("id_list")).toBe("2104.12255");
    expect(await storedIds()).toEqual(["2104.12255"]);
  }, 60_000);
});
