// npm run bench:digest -- --subscribers 10000 --concurrency 5: sendDigest (claim, send, record, per mail) vs a bare
// pooled nodemailer transport sending the same mail, both into one SMTP sink; build time and memory of a digest run.
// Subscribers have personal digests: --preferences distinct preference sets (500; 0: none, the day's digest for
// all), --weekly of the sets weekly (0.2), each due on the digest's day.
// --seed derives the TOKEN_SECRET of the links when none is set, so mail sizes repeat from run to run.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { Session } from "node:inspector/promises";
import { runInNewContext } from "node:vm";
import type { SendReport } from "@/lib/digest/send";
import type { RenderedMail } from "@/lib/mail/render";
import type { MailTransport } from "@/lib/mail/transport";
import { addCpu, cpuSupported, type CpuSample, otherCpu, postgresUnder, type ProcessGroups, sampleCpu, snapshotProcesses } from "./bench/cpu";
import type { BareMails } from "./bench/bare-sender";
import { onCleanup, positiveInt, runBench, stopOnSignals } from "./bench/lifecycle";
import { makeRandom } from "./bench/papers";

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    subscribers: { type: "string", default: "10000" },
    // Defaults to DIGEST_CONCURRENCY, as a real digest run.
    concurrency: { type: "string" },
    seed: { type: "string", default: "7" },
    warmup: { type: "string", default: "200" },
    preferences: { type: "string", default: "500" },
    weekly: { type: "string", default: "0.2" },
    // Writes a CPU profile of this process for each send at N (digest-1, bare-1, ...) into this folder.
    profile: { type: "string" },
  },
});


const SUBSCRIBERS = positiveInt("subscribers", args.subscribers);
const SMALL = Math.max(1, Math.floor(SUBSCRIBERS / 10));
const SEED = positiveInt("seed", args.seed);
const WARMUP = positiveInt("warmup", args.warmup);
const PREFERENCE_SETS = args.preferences === "0" ? 0 : positiveInt("preferences", args.preferences);
const WEEKLY = Number(args.weekly);
if (!(WEEKLY >= 0 && WEEKLY <= 1)) throw new Error(`--weekly must be a fraction from 0 to 1 (got ${args.weekly})`);
const DATE = "2026-06-16";
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "hf-daily-papers");
const SINK = path.join(process.cwd(), "scripts", "bench", "smtp-sink.ts");
const BARE_SENDER = path.join(process.cwd(), "scripts", "bench", "bare-sender.ts");

// ---------------------------------------------------------------------------------------------
// Cleanup: every started thing registers its stop; Ctrl-C and errors run them all, newest first.

stopOnSignals("stopping the SMTP sink and Postgres");

// ---------------------------------------------------------------------------------------------
// lib/ is imported once TOKEN_SECRET and DATA_DIR are set, before any setting is read (lib/env.ts parses process.env once, on first use).

async function loadLib() {
  const [client, migration, ingest, build, send, store, transport, render, links, config, postgres, planning] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/db/migrate"),
    import("@/lib/ingest/run-ingest"),
    import("@/lib/digest/build"),
    import("@/lib/digest/send"),
    import("@/lib/digest/store"),
    import("@/lib/mail/transport"),
    import("@/lib/mail/render"),
    import("@/lib/subscriptions/links"),
    import("@/lib/env"),
    import("@/lib/services/embedded-postgres"),
    import("@/lib/digest/plan"),
  ]);
  return {
    db: client.db, setDatabaseUrl: client.setDatabaseUrl, closeDb: client.closeDb, migrate: migration.migrate, ingestFiles: ingest.ingestFiles,
    computeDigest: build.computeDigest, planDigest: planning.planDigest, sendDigest: send.sendDigest,
    store: { digests: store.digests, deliveries: store.deliveries, mailBackoff: store.mailBackoff, ownerLock: store.ownerLock },
    claimStatement: store.claimStatement,
    createMailTransport: transport.createMailTransport, renderDigestMail: render.renderDigestMail, PaperBlocks: render.PaperBlocks, personalize: render.personalize,
    unsubscribePageUrl: links.unsubscribePageUrl, oneClickUnsubscribeUrl: links.oneClickUnsubscribeUrl, manageDigestUrl: links.manageDigestUrl, env: config.env,
    startEmbeddedPostgres: postgres.startEmbeddedPostgres,
  };
}

type Lib = Awaited<ReturnType<typeof loadLib>>;

// ---------------------------------------------------------------------------------------------
// The SMTP sink, in a child process so that accepting mail does not compete with the senders for this event loop.

type SinkCount = { received: number; bytes: number };
type Sink = { url: string; pid: number | undefined; count(): Promise<SinkCount> };

/** Stops a child we spawned, by its id; SIGKILL after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(force);
}

/**
 * The JSON lines a child answers on stdout, one per call of the returned function, in order. A call
 * fails when the child exits, or says nothing within `timeoutMs` (`what` names the answer awaited).
 */
function answersOf(child: ChildProcess, name: string, timeoutMs: number): (what: string) => Promise<Record<string, unknown>> {
  const unread: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      console.error(`${name}: ${line}`);
      return;
    }
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else unread.push(message);
  });
  const gone = new Promise<never>((_, reject) => child.once("exit", (code, signal) => reject(new Error(`the ${name} exited (${signal ?? `code ${code}`})`))));
  gone.catch(() => undefined);
  return (what) => {
    const ready = unread.shift();
    if (ready) return Promise.resolve(ready);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the ${name} did not answer (${what}) within ${timeoutMs / 1000} s`)), timeoutMs)));
    return Promise.race([new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve)), gone, timeout]).finally(() => clearTimeout(timer));
  };
}

async function startSink(): Promise<Sink> {
  // stdin stays open: the sink answers "count" lines on it and exits when it closes.
  const child = spawn(process.execPath, ["--import", "tsx", SINK], { stdio: ["pipe", "pipe", "inherit"] });
  onCleanup(() => stopChild(child));
  const answer = answersOf(child, "SMTP sink", 30_000);
  const nextLine = (what: string) => answer(what) as Promise<Record<string, number>>;
  const { port } = await nextLine("port");
  if (!port) throw new Error("the SMTP sink reported no port");
  return {
    url: `smtp://127.0.0.1:${port}`,
    pid: child.pid,
    async count() {
      const answer = nextLine("count");
      child.stdin!.write("count\n");
      const { received = NaN, bytes = NaN } = await answer;
      return { received, bytes };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring: memory, and where time goes (sendMail and each kind of query, summed over the lanes).

// A collection before each phase makes the heap figures comparable; without --expose-gc we do without.
const collect = (() => {
  try {
    v8.setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
})();

type Memory = { peakRss: number; heapGrowth: number };

function trackMemory(): { stop(): Memory } {
  collect?.();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRss, heapGrowth: peakHeap - start.heapUsed };
    },
  };
}

/**
 * CPU time of each part while a path sends (this process, the sink, Postgres, everything else), summed
 * over that path's runs: on two cores the paths compete for CPU, so this says where a mail's cost goes.
 */
class CpuMeter {
  readonly total: CpuSample = {};
  others = 0;
  private runs = 0;
  constructor(
    private readonly groups: ProcessGroups,
    private readonly name: string,
    /** With --profile, a CPU profile of this process for each run (the bare sender writes its own). */
    private readonly profiled = false,
  ) {}
  async during<T>(work: () => Promise<T>): Promise<T> {
    const profile = args.profile && this.profiled ? await startProfile() : undefined;
    const before = sampleCpu(this.groups);
    const everyone = snapshotProcesses();
    try {
      return await work();
    } finally {
      await profile?.(path.join(args.profile!, `${this.name}-${++this.runs}.cpuprofile`));
      addCpu(this.total, before, sampleCpu(this.groups));
      this.others += otherCpu(everyone, snapshotProcesses(), this.groups).reduce((sum, entry) => sum + entry.ms, 0);
    }
  }
}

/** Starts the V8 profiler on this process; the returned function stops it and writes the profile. */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async (file) => {
    const { profile } = await session.post("Profiler.stop");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** Durations per label, summed over concurrent callers. */
class Timings {
  readonly durations = new Map<string, number[]>();
  add(label: string, ms: number): void {
    const list = this.durations.get(label) ?? [];
    list.push(ms);
    this.durations.set(label, list);
  }
  total(label: string): number {
    return (this.durations.get(label) ?? []).reduce((sum, value) => sum + value, 0);
  }
  calls(label: string): number {
    return this.durations.get(label)?.length ?? 0;
  }
}

function timeSendMail(transport: MailTransport, timings: Timings): void {
  const sendMail = transport.sendMail.bind(transport) as (mail: object) => Promise<unknown>;
  const timed = async (mail: object) => {
    const started = performance.now();
    try {
      return await sendMail(mail);
    } finally {
      timings.add("sendMail", performance.now() - started);
    }
  };
  transport.sendMail = timed as unknown as MailTransport["sendMail"];
}

// sendDigest runs all its database work through the digest store's named operations (digests,
// deliveries, mailBackoff, ownerLock); each is timed as "object.operation".
const CLAIM = "deliveries.claim";

type Operations = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Times every operation of the digest store until the returned function is called. */
function timeStore(lib: Lib, timings: Timings): () => void {
  const restores: (() => void)[] = [];
  for (const [object, operations] of Object.entries(lib.store as unknown as Record<string, Operations>)) {
    const originals = { ...operations };
    for (const [name, operation] of Object.entries(originals)) {
      const label = `${object}.${name}`;
      operations[name] = (...args: unknown[]) => {
        const started = performance.now();
        return operation(...args).finally(() => timings.add(label, performance.now() - started));
      };
    }
    restores.push(() => Object.assign(operations, originals));
  }
  return () => restores.forEach((restore) => restore());
}

// ---------------------------------------------------------------------------------------------
// The two paths.

/** Personal editions the last digest run froze (for the printout). */
let editionsOfLastRun = 0;

type DigestRun = { buildMs: number; sendMs: number; mails: number; bytes: number; memory: Memory; report: SendReport };
type BareRun = { sendMs: number; mails: number; bytes: number };

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
}

// Setting the scene (subscribers, a clean slate, rows marked sent for the claim's plan) is the
// benchmark's own SQL: the product never runs it, so it has no place in the digest store.
async function addSubscribers(lib: Lib, from: number, to: number, sets: PreferenceSet[]): Promise<void> {
  await lib.db.pool.query(
    `INSERT INTO subscriber (email, status, confirmed_at, categories, keywords, authors, cadence, weekly_day, send_empty)
     SELECT 'reader' || g || '@example.org', 'confirmed', now(), coalesce(p.categories, '{}'), coalesce(p.keywords, '{}'), coalesce(p.authors, '{}'),
            coalesce(p.cadence, 'daily'), coalesce(p.weekly_day, 1), coalesce(p.send_empty, false)
     FROM generate_series($1::int, $2::int) g
     LEFT JOIN ROWS FROM (jsonb_to_recordset($3::jsonb) AS (categories text[], keywords text[], authors text[], cadence text, weekly_day int, send_empty boolean))
       WITH ORDINALITY AS p(categories, keywords, authors, cadence, weekly_day, send_empty, n)
       ON p.n = 1 + (g - 1) % greatest(jsonb_array_length($3::jsonb), 1)`,
    [from, to, JSON.stringify(sets)],
  );
  await lib.db.pool.query("ANALYZE subscriber");
}

type PreferenceSet = { categories: string[]; keywords: string[]; authors: string[]; cadence: string; weekly_day: number; send_empty: boolean };

/** Categories handed to the fixture papers (which have none), so topics select among them. */
const BENCH_CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "cs.RO", "stat.ML", "cs.IR", "cs.SD", "eess.AS", "cs.MA", "cs.CR", "q-bio.NC"];

/**
 * `count` distinct preference sets (seeded): one to three topics, up to two followed words of the
 * week's titles, sometimes an author of the week; the first `weekly` of them weekly on the digest's
 * weekday. All mail on an empty day too, so every subscriber gets exactly one mail to count.
 */
async function preferenceSets(lib: Lib, count: number, weekly: number): Promise<PreferenceSet[]> {
  if (count === 0) return [];
  await lib.db.pool.query(
    `UPDATE paper SET categories = ARRAY[($1::text[])[1 + abs(hashtext(id)) % cardinality($1::text[])], ($1::text[])[1 + abs(hashtext(id || 'x')) % cardinality($1::text[])]]`,
    [BENCH_CATEGORIES],
  );
  const { rows } = await lib.db.pool.query<{ title: string; authors: string[] }>(`SELECT title, authors FROM paper WHERE listed_at BETWEEN $1::date - 6 AND $1::date`, [DATE]);
  const words = [...new Set(rows.flatMap((row) => row.title.toLowerCase().match(/\p{L}{6,}/gu) ?? []))].sort();
  const authors = [...new Set(rows.flatMap((row) => row.authors))].sort();
  const random = makeRandom(SEED);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const weekday = new Date(`${DATE}T00:00:00Z`).getUTCDay();
  const sets = new Map<string, PreferenceSet>();
  // Bounded: the vocabulary of a week's fixtures makes far more than 500 distinct sets.
  for (let tries = 0; sets.size < count && tries < count * 100; tries++) {
    const set: PreferenceSet = {
      categories: [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(BENCH_CATEGORIES)))].sort(),
      keywords: words.length > 0 ? [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(words)))].sort() : [],
      authors: random() < 0.3 && authors.length > 0 ? [pick(authors)] : [],
      cadence: sets.size < Math.round(count * weekly) ? "weekly" : "daily",
      weekly_day: weekday,
      send_empty: true,
    };
    sets.set(JSON.stringify(set), set);
  }
  return [...sets.values()];
}

/** Phase A: what the worker does, build (compute + freeze) and sendDigest, from a clean slate of deliveries. */
async function runDigest(lib: Lib, sink: Sink, concurrency: number, expected: number, timings: Timings, cpu?: CpuMeter): Promise<DigestRun> {
  await lib.db.pool.query("TRUNCATE digest CASCADE");
  const before = await sink.count();
  const memory = trackMemory();
  let started = performance.now();
  const content = await lib.computeDigest(DATE, lib.env.DIGEST_SIZE);
  const plan = await lib.planDigest(content);
  const { digest, recipients } = await lib.store.digests.freeze(content, plan.recipients);
  const buildMs = performance.now() - started;
  editionsOfLastRun = plan.editions;
  check(recipients === expected, `digests.freeze made ${recipients} deliveries, expected ${expected}`);

  const transport = lib.createMailTransport(sink.url, concurrency);
  timeSendMail(transport, timings);
  const untime = timeStore(lib, timings);
  let report: SendReport;
  started = performance.now();
  try {
    const sending = () => lib.sendDigest(digest, { transport, concurrency });
    report = await (cpu ? cpu.during(sending) : sending());
  } finally {
    untime();
    transport.close();
  }
  const sendMs = performance.now() - started;
  const used = memory.stop();

  const after = await sink.count();
  const mails = after.received - before.received;
  check(report.sent === expected && report.failed === 0 && report.pending === 0 && report.sending === 0, `sendDigest reported ${JSON.stringify(report)} for ${expected} subscribers`);
  check(mails === expected, `the sink received ${mails} mails from sendDigest, expected ${expected}`);
  const recorded = await lib.store.deliveries.count(DATE, ["sent"]);
  check(recorded === expected, `${recorded} deliveries recorded as sent, expected ${expected}`);
  return { buildMs, sendMs, mails, bytes: after.bytes - before.bytes, memory: used, report };
}

/**
 * The mail each subscriber gets, as the digest plans it, written to `file` for the bare sender:
 * each edition rendered once, before the timed runs; the bare sender fills in each subscriber's links.
 */
async function writeMailsAsPlanned(lib: Lib, content: Awaited<ReturnType<Lib["computeDigest"]>>, general: RenderedMail, file: string): Promise<void> {
  // Planned on a clean slate, as each digest run starts (the weekly subscribers are due again).
  await lib.db.pool.query("TRUNCATE digest CASCADE");
  const plan = await lib.planDigest(content);
  const renderings: RenderedMail[] = [general];
  const numbers = new Map<unknown, number>();
  const blocks = new lib.PaperBlocks();
  const index: number[] = [];
  for (const recipient of plan.recipients) {
    if (!recipient.edition) {
      index.push(0);
      continue;
    }
    let number = numbers.get(recipient.edition);
    if (number === undefined) {
      renderings.push(await lib.renderDigestMail({ date: content.date, papers: content.papers, appUrl: lib.env.APP_URL, edition: recipient.edition, blocks }));
      number = renderings.length - 1;
      numbers.set(recipient.edition, number);
    }
    index.push(number);
  }
  check(index.length === SUBSCRIBERS, `the plan has ${index.length} recipients, expected ${SUBSCRIBERS}`);
  const mails: BareMails = { renderings, index, from: lib.env.MAIL_FROM, date: DATE, domain: new URL(lib.env.APP_URL).hostname || "localhost", warmup: WARMUP };
  fs.writeFileSync(file, JSON.stringify(mails));
}

/** The bare sender's process while it runs (cpu.ts counts it as the bare path's sender, not as "others"). */
let barePid: number | undefined;

/**
 * Phase B: the same mails through a bare pooled transport in a fresh process (bare-sender.ts),
 * `concurrency` sends in flight, nothing recorded. With `templated`, each message is built from its
 * rendering's template (lib/mail/message-template.ts), as sendDigest builds it.
 */
async function runBare(sink: Sink, concurrency: number, file: string, count: number, timings?: Timings, cpu?: CpuMeter, templated = false): Promise<BareRun> {
  // With --profile, the bare sender writes its own CPU profiles (every thread, warm-up included).
  const profiling = args.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(args.profile, templated ? "bare-templates" : "bare")}`] : [];
  const child = spawn(process.execPath, [...profiling, "--import", "tsx", BARE_SENDER, file, sink.url, String(count), String(concurrency), ...(templated ? ["templates"] : [])], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  onCleanup(() => stopChild(child));
  // Generous: a warm-up, then every mail of the run.
  const nextLine = answersOf(child, "bare sender", 15 * 60_000);
  try {
    check((await nextLine("ready")).ready === true, "the bare sender did not get ready");
    const before = await sink.count();
    barePid = child.pid;
    const send = async () => {
      const answer = nextLine("its run");
      child.stdin!.write("go\n");
      return answer;
    };
    const result = await (cpu ? cpu.during(send) : send());
    barePid = undefined;
    const after = await sink.count();
    const mails = after.received - before.received;
    check(mails === count, `the sink received ${mails} mails from the bare transport, expected ${count}`);
    timings?.add("sendMail", Number(result.sendMailMs));
    return { sendMs: Number(result.sendMs), mails, bytes: after.bytes - before.bytes };
  } finally {
    barePid = undefined;
    await stopChild(child);
  }
}

// ---------------------------------------------------------------------------------------------
// Printing.

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`);
const rate = (mails: number, milliseconds: number) => (mails / (milliseconds / 1000));
const perSecond = (value: number) => `${value.toFixed(0)} mails/s`;
const kb = (bytes: number, mails: number) => `${(bytes / mails / 1024).toFixed(1)} KB`;

function verdict(met: boolean): string {
  return met ? "met" : "NOT met";
}

function row(label: string, ...cells: string[]): void {
  console.log(`  ${label.padEnd(34)}${cells.map((cell) => cell.padStart(18)).join("")}`);
}

function describeDigestRun(label: string, run: DigestRun): void {
  console.log(`  ${label.padEnd(22)} build ${ms(run.buildMs)} (${editionsOfLastRun} personal editions), sent ${run.mails.toLocaleString()} in ${ms(run.sendMs)} (${perSecond(rate(run.mails, run.sendMs))}, ${kb(run.bytes, run.mails)} a mail), peak RSS ${mb(run.memory.peakRss)}`);
}

function describeBareRun(label: string, run: BareRun): void {
  console.log(`  ${label.padEnd(22)} sent ${run.mails.toLocaleString()} in ${ms(run.sendMs)} (${perSecond(rate(run.mails, run.sendMs))}, ${kb(run.bytes, run.mails)} a mail)`);
}

const average = (values: number[]) => (values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length);

function printTimeBreakdown(digest: Timings, bare: Timings, laneMs: number, mails: number, bareMails: number): void {
  console.log(`\nwhere sendDigest's lane time goes (both runs at N: ${ms(laneMs)} = lanes x wall time; a mail = total / ${mails.toLocaleString()}):`);
  let accounted = 0;
  const line = (label: string, calls: number, total: number, note = "") => {
    const share = `${((100 * total) / laneMs).toFixed(0)}%`;
    console.log(`  ${label.padEnd(42)}${calls.toLocaleString().padStart(8)} calls${ms(total).padStart(11)}${share.padStart(6)}${ms(total / mails).padStart(11)} a mail${note}`);
  };
  const labels = [...digest.durations.keys()].sort((a, b) => (a === "sendMail" ? -1 : b === "sendMail" ? 1 : digest.total(b) - digest.total(a)));
  for (const label of labels) {
    const note = label === "sendMail" ? `   (bare transport, building each message too: ${ms(bare.total("sendMail") / bareMails)} a mail)` : "";
    line(label === "sendMail" ? "sendMail (SMTP round trips, raw message)" : label.slice(0, 42), digest.calls(label), digest.total(label), note);
    accounted += digest.total(label);
  }
  // A lane claims its next row while a mail is in flight and records a mail while the next one's
  // envelope goes out, so database time overlaps SMTP time and the shares can add up past 100%.
  if (accounted <= laneMs) line("the rest (rendering, personalize, tokens, event loop)", 0, laneMs - accounted);
  else console.log(`  (claims and records overlap the SMTP round trips, so the shares add up past 100%)`);
  const claims = digest.durations.get(CLAIM) ?? [];
  if (claims.length >= 20) {
    // Both runs at N are in the list, one after the other: compare the start and the end of each.
    const tenth = Math.floor(claims.length / 20);
    const half = Math.floor(claims.length / 2);
    const early = [...claims.slice(0, tenth), ...claims.slice(half, half + tenth)];
    const late = [...claims.slice(half - tenth, half), ...claims.slice(-tenth)];
    console.log(`  claim: ${ms(average(early))} a call over the first tenth of a run, ${ms(average(late))} over the last tenth`);
  }
}

/** CPU per mail of each part on both paths, and how busy the machine's cores were meanwhile. */
function printCpu(digest: CpuMeter, mails: number, digestMs: number, bare: CpuMeter, bareMails: number, bareMs: number): void {
  const cores = os.availableParallelism();
  console.log(`\nCPU a mail while sending (${cores} cores; "others": every other process on the machine):`);
  row("", "sendDigest", "bare transport");
  // (this process, the sender; the bare transport's own process)
  const parts = ["self", "sink", "postgres"] as const;
  const label = { self: "this process (sender)", sink: "SMTP sink", postgres: "Postgres" };
  // The bare path's sender is a process of its own (runBare): its CPU is the "bare" group's.
  const of = (meter: CpuMeter, part: (typeof parts)[number]) => (meter.total[part] ?? 0) + (part === "self" ? (meter.total.bare ?? 0) : 0);
  for (const part of parts) row(label[part], ms(of(digest, part) / mails), ms(of(bare, part) / bareMails));
  row("others", ms(digest.others / mails), ms(bare.others / bareMails));
  const busy = (meter: CpuMeter, wallMs: number) => {
    const used = parts.reduce((sum, part) => sum + of(meter, part), 0) + meter.others;
    return `${((100 * used) / (wallMs * cores)).toFixed(0)}% of the cores`;
  };
  row("all of it, over the wall time", busy(digest, digestMs), busy(bare, bareMs));
}

/** How Postgres runs the claim statement of sendDigest with N deliveries pending, and with half of them sent. */
async function explainClaim(lib: Lib, expected: number): Promise<void> {
  // The statement claim() runs, for an owner that holds nothing (the transaction is rolled back).
  const { text, values: params } = lib.claimStatement(DATE, 1, undefined);
  const plan = async (label: string) => {
    const client = await lib.db.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, params);
      await client.query("ROLLBACK");
      const all = rows.map((row) => row["QUERY PLAN"].trim());
      // How the pending row is found (index or sort), what it skips, and the cost of the whole statement.
      const lines = all.filter((line) => /Scan (using \w+ )?on delivery d_1|^(-> +)?Sort|Sort Key|Rows Removed by Filter|Execution Time/.test(line));
      const buffers = all.find((line) => line.startsWith("Buffers:"));
      console.log(`  ${label}:\n${[...lines, `${buffers ?? ""} (whole statement)`].map((line) => `    ${line}`).join("\n")}`);
    } finally {
      client.release();
    }
  };
  console.log("\nthe claim statement (claimStatement(), EXPLAIN ANALYZE in a rolled-back transaction):");
  await lib.db.pool.query("TRUNCATE digest CASCADE");
  const frozen = await lib.computeDigest(DATE, lib.env.DIGEST_SIZE);
  await lib.store.digests.freeze(frozen, (await lib.planDigest(frozen)).recipients);
  await plan(`${expected.toLocaleString()} pending, right after the freeze`);
  await lib.db.pool.query(
    `UPDATE delivery SET status = 'sent', sent_at = now() WHERE id IN (SELECT id FROM delivery WHERE digest_date = $1::date ORDER BY id LIMIT $2)`,
    [DATE, Math.floor(expected / 2)],
  );
  await lib.db.pool.query("ANALYZE delivery");
  await plan("half of them sent, after ANALYZE (as autovacuum soon does)");
}

/** closeDb, then a wait for the pool's connections to be closed: pg-pool's end() resolves before they are. */
async function closeDbQuietly(lib: Lib): Promise<void> {
  const pool = lib.db.pool;
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on("remove", () => --open <= 0 && resolve());
  });
  await lib.closeDb();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-digest-"));
  // Postgres runs as the `postgres` user when we are root; it must be able to enter the folder.
  fs.chmodSync(tmp, 0o755);
  onCleanup(() => {
    if (process.env.BENCH_KEEP) console.error(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  });
  // The sender as a deployed worker runs it (NODE_ENV=production, see the README's deployment guide):
  // React picks its production or development build from NODE_ENV when it loads.
  (process.env as Record<string, string>).NODE_ENV = "production";
  // Links are signed; a fixed secret per seed keeps mail sizes comparable across runs. Nothing lands in ./.data.
  process.env.TOKEN_SECRET ??= createHash("sha256").update(`bench-digest:${SEED}`).digest("base64url");
  process.env.DATA_DIR = path.join(tmp, "data");
  const lib = await loadLib();
  const concurrency = args.concurrency === undefined ? lib.env.DIGEST_CONCURRENCY : positiveInt("concurrency", args.concurrency);

  const postgres = await lib.startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: 0, database: "bench" });
  onCleanup(() => postgres.stop());
  await lib.migrate(postgres.url);
  lib.setDatabaseUrl(postgres.url);
  onCleanup(() => closeDbQuietly(lib));
  const ingested = await lib.ingestFiles(lib.db.pool, [FIXTURES], { today: "2026-07-01" });
  check(ingested.inserted > 0, `nothing ingested from ${FIXTURES}`);
  const sink = await startSink();
  const sets = await preferenceSets(lib, PREFERENCE_SETS, WEEKLY);

  const content = await lib.computeDigest(DATE, lib.env.DIGEST_SIZE);
  check(content.papers.length > 0, `no papers listed on ${DATE} in the fixtures`);
  const rendered = await lib.renderDigestMail({ date: DATE, papers: content.papers, appUrl: lib.env.APP_URL });

  console.log(`digest of ${DATE}: ${content.papers.length} papers (${ingested.inserted} fixture papers ingested); SMTP sink (child process) on ${sink.url}`);
  console.log(`${SUBSCRIBERS.toLocaleString()} subscribers (first ${SMALL.toLocaleString()} for the N/10 run), ${concurrency} SMTP connections and mails in flight on both paths`);
  console.log(
    PREFERENCE_SETS > 0
      ? `preferences: ${sets.length} distinct sets (one to three of ${BENCH_CATEGORIES.length} categories given to the fixture papers, followed words and authors), ${Math.round(WEEKLY * 100)}% of them weekly; subscriber i has set i mod ${sets.length}`
      : "preferences: none (every subscriber gets the day's digest)",
  );
  console.log(`order: the N/10 digest run (which also warms up the digest path); then at N: digest, bare, bare, digest, bare + templates, bare + templates`);
  console.log(`  (every bare run is a fresh process that sends ${WARMUP} warm-up mails first; the bare transport builds each message with nodemailer, sendDigest from its edition's template encoded once, "bare + templates" does the same without the database)`);
  console.log(`  (ABBA, so drift over the run weighs on both paths alike; mails/s of a path = all its mails / all its send time)`);
  if (!collect) console.log("  (no gc() available: heap figures include garbage)");

  const digestTimings = new Timings();
  const bareTimings = new Timings();
  const groups: ProcessGroups = {
    sink: (proc) => proc.pid === sink.pid,
    // The bare path's sender, a process of its own (runBare).
    bare: (proc) => proc.pid === barePid,
    postgres: postgresUnder(tmp),
  };
  const digestCpu = new CpuMeter(groups, "digest", true);
  const bareCpu = new CpuMeter(groups, "bare");
  console.log("\nruns:");
  await addSubscribers(lib, 1, SMALL, sets);
  const small = await runDigest(lib, sink, concurrency, SMALL, new Timings());
  describeDigestRun("digest, N/10", small);
  if (SUBSCRIBERS > SMALL) await addSubscribers(lib, SMALL + 1, SUBSCRIBERS, sets);
  const a1 = await runDigest(lib, sink, concurrency, SUBSCRIBERS, digestTimings, digestCpu);
  describeDigestRun("digest, N (1)", a1);
  const sameMails = path.join(tmp, "bare-mails.json");
  await writeMailsAsPlanned(lib, content, rendered, sameMails);
  const b1 = await runBare(sink, concurrency, sameMails, SUBSCRIBERS, bareTimings, bareCpu);
  describeBareRun("bare, N (1)", b1);
  const b2 = await runBare(sink, concurrency, sameMails, SUBSCRIBERS, bareTimings, bareCpu);
  describeBareRun("bare, N (2)", b2);
  const a2 = await runDigest(lib, sink, concurrency, SUBSCRIBERS, digestTimings, digestCpu);
  describeDigestRun("digest, N (2)", a2);
  // The same messages without the database: built from templates, as sendDigest builds them.
  const c1 = await runBare(sink, concurrency, sameMails, SUBSCRIBERS, undefined, undefined, true);
  describeBareRun("bare + templates (1)", c1);
  const c2 = await runBare(sink, concurrency, sameMails, SUBSCRIBERS, undefined, undefined, true);
  describeBareRun("bare + templates (2)", c2);

  const digestRate = rate(a1.mails + a2.mails, a1.sendMs + a2.sendMs);
  const bareRate = rate(b1.mails + b2.mails, b1.sendMs + b2.sendMs);
  const ratio = digestRate / bareRate;
  const templatedRate = rate(c1.mails + c2.mails, c1.sendMs + c2.sendMs);
  const buildMs = Math.max(a1.buildMs, a2.buildMs);
  const peakLarge = Math.max(a1.memory.peakRss, a2.memory.peakRss);
  const rssRatio = peakLarge / small.memory.peakRss;

  console.log(`\nresults (${concurrency} connections):`);
  row("", `N/10 = ${SMALL.toLocaleString()}`, `N = ${SUBSCRIBERS.toLocaleString()}`);
  row("build: compute, plan, freeze (worst)", ms(small.buildMs), ms(buildMs));
  row("sendDigest", perSecond(rate(small.mails, small.sendMs)), perSecond(digestRate));
  row("bare pooled transport", "-", perSecond(bareRate));
  row("ratio sendDigest / bare", "-", `${ratio.toFixed(2)}x`);
  row("bare + templates", "-", perSecond(templatedRate));
  row("ratio sendDigest / bare + templates", "-", `${(digestRate / templatedRate).toFixed(2)}x`);
  row("peak RSS during the digest run", mb(small.memory.peakRss), mb(peakLarge));
  row("peak heap growth in the digest run", mb(small.memory.heapGrowth), mb(Math.max(a1.memory.heapGrowth, a2.memory.heapGrowth)));

  console.log(`\ntargets (at N = ${SUBSCRIBERS.toLocaleString()}):`);
  console.log(`  sendDigest mails/s / bare transport >= 0.8x      ${`${ratio.toFixed(2)}x`.padStart(9)}   ${verdict(ratio >= 0.8)}`);
  const buildTarget = PREFERENCE_SETS > 0 ? 5000 : 1000;
  console.log(`  build (compute, plan, freeze) < ${buildTarget / 1000} s            ${ms(buildMs).padStart(9)}   ${verdict(buildMs < buildTarget)}`);
  console.log(`  memory flat: peak RSS at N <= 1.5x at N/10      ${`${rssRatio.toFixed(2)}x`.padStart(9)}   ${verdict(rssRatio <= 1.5)}`);

  printTimeBreakdown(digestTimings, bareTimings, concurrency * (a1.sendMs + a2.sendMs), a1.mails + a2.mails, b1.mails + b2.mails);
  if (cpuSupported) printCpu(digestCpu, a1.mails + a2.mails, a1.sendMs + a2.sendMs, bareCpu, b1.mails + b2.mails, b1.sendMs + b2.sendMs);
  if (ratio < 0.8) await explainClaim(lib, SUBSCRIBERS);
}

runBench(main);
