// The daily digest finishes whatever happens, against real Postgres and a real SMTP server: a sender
// killed, the SMTP relay refusing every connection, a sender's lock connection killed while its mail
// is held, an unfinished earlier digest, a record that finds its row taken. In each, every
// confirmed subscriber ends with exactly one mail per digest, counted on the SMTP server's side.
import { spawn } from "node:child_process";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as getHealth } from "@/app/api/health/route";
import { computeDigest } from "@/lib/digest/build";
import { freezeDigest } from "@/lib/digest/plan";
import { describeDigestHealth, digestHealth } from "@/lib/digest/health";
import { describeRun, runDigest } from "@/lib/digest/run";
import { OWNER_APPLICATION_NAME, SenderStoppedError, sendDigest } from "@/lib/digest/send";
import { deliveries as deliveryStore, DeliveryLostError } from "@/lib/digest/store";
import { startSmtp, type Received, type TestSmtp } from "./smtp";
import { sendDigestTo } from "./digest-run";
import { createAppDatabase, type TestDatabase } from "./test-db";

const DATE = "2026-06-16";
/** An earlier day with papers in the fixtures. */
const EARLIER = "2026-06-10";
let database: TestDatabase;
let smtp: TestSmtp;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
  smtp = await startSmtp();
});

afterAll(async () => {
  await smtp.close();
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE digest, subscriber CASCADE`);
  await database.pool.query(`DELETE FROM mail_backoff`);
  smtp.reset();
});

async function addSubscribers(count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `reader${String(i + 1).padStart(3, "0")}@example.org`);
  await database.pool.query(`INSERT INTO subscriber (email, status, confirmed_at) SELECT unnest($1::text[]), 'confirmed', now()`, [emails]);
  return emails;
}

/** Every other subscriber weekly on the digest's weekday, the rest with a topic and a mail on empty days: each gets a personal edition. */
async function givePreferences(emails: string[]): Promise<void> {
  const weekday = new Date(`${DATE}T00:00:00Z`).getUTCDay();
  await database.pool.query(
    `UPDATE subscriber SET cadence = CASE WHEN e.n % 2 = 1 THEN 'weekly' ELSE 'daily' END, weekly_day = $2,
       categories = CASE WHEN e.n % 2 = 1 THEN '{}'::text[] ELSE '{hep-th}'::text[] END, send_empty = true
     FROM unnest($1::text[]) WITH ORDINALITY AS e(email, n) WHERE subscriber.email = e.email`,
    [emails, weekday],
  );
}

/** Accepted mails of one digest per envelope recipient (the Message-ID names the digest's date). */
function mailsPer(date: string, mails: Received[] = smtp.mails): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const mail of mails.filter((received) => received.messageId?.startsWith(`<digest.${date}.`))) {
    for (const address of mail.envelopeTo) counts[address] = (counts[address] ?? 0) + 1;
  }
  return counts;
}

const oncePerSubscriber = (emails: string[]) => Object.fromEntries(emails.map((email) => [email, 1]));

async function deliveries(date = DATE): Promise<Record<string, number>> {
  const { rows } = await database.pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM delivery WHERE digest_date = $1 GROUP BY status`, [date]);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** The digest's deliveries in id order: who holds each and the attempts spent. */
async function deliveryRows(date = DATE) {
  const { rows } = await database.pool.query<{ id: string; status: string; claimed_by: number | null; attempts: number }>(
    `SELECT id::text, status, claimed_by, attempts FROM delivery WHERE digest_date = $1 ORDER BY id`,
    [date],
  );
  return rows;
}

/** Waits for a condition (an event on the other side: a row written, a connection seen). */
async function until(condition: () => boolean | Promise<boolean>, what = "the condition", timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const send = (options: Parameters<typeof runDigest>[0] = {}, url = smtp.url) => sendDigestTo(url, { date: DATE, ...options });

/** `npm run digest` in its own process, as a worker would run it. */
function digestProcess(args: string[], extraEnv: Record<string, string> = {}) {
  // tsx as a loader in this one process (its CLI would put a parent in between that SIGKILL cannot pass).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/digest.ts", ...args], {
    env: { ...process.env, DATABASE_URL: database.url, SMTP_URL: smtp.url, DIGEST_RETRY_MS: "20", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

/** The backend pids of digest senders' owner-lock connections to this test's database. */
async function ownerLockPids(): Promise<number[]> {
  const { rows } = await database.pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [
    OWNER_APPLICATION_NAME,
  ]);
  return rows.map((row) => row.pid);
}

/** Ends a backend the way a DBA or a failover would, and waits until it is gone (its locks with it). */
async function terminate(pid: number): Promise<void> {
  const { rows } = await database.pool.query<{ ok: boolean }>(`SELECT pg_terminate_backend($1, 10000) AS ok`, [pid]);
  expect(rows[0]).toEqual({ ok: true });
}

describe("a sender that dies", () => {
  it.each([
    ["the day's digest", false],
    ["personal editions (half weekly, half with topics)", true],
  ])("killed with SIGKILL while three lanes are mid-send, then a rerun: one mail per subscriber (%s)", async (_label, personal) => {
    const emails = await addSubscribers(8);
    if (personal) await givePreferences(emails);
    const first = digestProcess(["--date", DATE], { DIGEST_CONCURRENCY: "3" });
    let killed: Promise<void> | undefined;
    // From the 5th RCPT on nothing more is accepted; once every accepted mail is recorded (this test
    // is about the rows in flight, not the documented accepted-but-unrecorded window), SIGKILL.
    const kill = async () => {
      await until(async () => (await deliveries()).sent === smtp.mails.length, "the accepted mails to be recorded");
      first.child.kill("SIGKILL");
      await first.exited;
    };
    smtp.script = {
      rcpt: (_address, count) => {
        if (count === 5) killed = kill();
        return killed?.then(() => undefined);
      },
      data: async () => {
        if (!killed) return undefined;
        await killed;
        return { code: 421, message: "connection lost" };
      },
    };
    const dead = await first.exited;
    expect(dead.signal).toBe("SIGKILL");
    const left = await deliveries();
    expect(left.sent).toBe(smtp.mails.length);
    // Mails in flight and rows claimed ahead, up to two per lane, are left in `sending`.
    expect(left.sending).toBeGreaterThanOrEqual(1);
    expect(left.sending).toBeLessThanOrEqual(6);

    smtp.script = {};
    const second = await digestProcess(["--date", DATE]).exited;
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/in flight in a sender that stopped/);
    expect(mailsPer(DATE)).toEqual(oncePerSubscriber(emails));
    expect(await deliveries()).toEqual({ sent: 8 });
    if (personal) {
      // Each got their own edition, whichever sender sent it.
      for (const [i, email] of emails.entries()) {
        const subject = smtp.to(email)[0]!.subject ?? "";
        expect(subject).toMatch(i % 2 === 0 ? /^Your weekly papers, / : /^Your papers for /);
      }
      const { rows } = await database.pool.query<{ n: number }>(`SELECT count(DISTINCT edition_id)::int AS n FROM delivery WHERE edition_id IS NOT NULL`);
      expect(rows[0]!.n).toBe(2);
    }
  }, 90_000);

  it("stops as soon as its owner-lock connection is terminated, claiming nothing more", async () => {
    const emails = await addSubscribers(3);
    // Everyone is paused (as by an SMTP outage), so the sender is waiting when its lock goes.
    await database.pool.query(`INSERT INTO mail_backoff (id, until, failures, last_error) VALUES (1, now() + interval '3 seconds', 1, 'test outage')`);
    let rcpts = 0;
    smtp.script = { rcpt: () => void rcpts++ };
    const running = send({ concurrency: 2, maxWaitMs: 30_000 });
    running.catch(() => undefined);
    await until(async () => (await ownerLockPids()).length === 1, "the sender's owner-lock connection");
    const [pid] = await ownerLockPids();
    await terminate(pid!);
    const error = await running.then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(SenderStoppedError);
    expect((error as Error).message).toMatch(/owner-lock connection to Postgres (failed|ended)/);
    // It never claimed a row nor opened an envelope after losing its lock.
    expect(rcpts).toBe(0);
    expect((await database.pool.query(`SELECT max(attempts) AS n FROM delivery`)).rows[0]).toEqual({ n: 0 });

    await database.pool.query(`DELETE FROM mail_backoff`);
    expect(await send()).toMatchObject({ outcome: "sent", report: { sent: 3 } });
    expect(mailsPer(DATE)).toEqual(oncePerSubscriber(emails));
  });

  it("whose lock connection is terminated while its mail is held before DATA never completes that mail; a second sender takes over", async () => {
    const emails = await addSubscribers(3);
    const held = deferred();
    const reached = deferred();
    smtp.script = {
      rcpt: (_address, count) => {
        if (count !== 1) return undefined;
        reached.resolve();
        return held.promise.then(() => undefined);
      },
    };
    const first = send({ concurrency: 1, maxWaitMs: 30_000 });
    first.catch(() => undefined);
    await reached.promise;
    const pids = await ownerLockPids();
    expect(pids).toHaveLength(1);
    // nodemailer reads a message ahead as soon as a connection takes it; give an early check the
    // time it would need, then see on the lock connection that none ran: it must wait for DATA.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { rows: last } = await database.pool.query<{ query: string }>(`SELECT query FROM pg_stat_activity WHERE pid = $1`, [pids[0]]);
    expect(last[0]?.query).not.toMatch(/FROM delivery/);
    await terminate(pids[0]!);

    // The first sender's rows (the held mail and the row claimed ahead) are free: a second sender sends all.
    const second = await send({ concurrency: 1 });
    expect(second).toMatchObject({ outcome: "sent", report: { sent: 3, totals: { sent: 3, pending: 0, sending: 0 } } });
    expect(mailsPer(DATE)).toEqual(oncePerSubscriber(emails));

    // Now the server accepts the held RCPT: the first sender's envelope is complete, but its check
    // before the final dot (on the dead lock connection) cuts the message off. Once it has stopped
    // (its transport is closed then), the server still holds one mail per subscriber.
    held.resolve();
    await expect(first).rejects.toBeInstanceOf(SenderStoppedError);
    expect(mailsPer(DATE)).toEqual(oncePerSubscriber(emails));
    expect(await deliveries()).toEqual({ sent: 3 });
  });
});

describe("an SMTP outage", () => {
  it("longer than every delivery's retry budget fails nothing; the next run sends all", async () => {
    const emails = await addSubscribers(4);
    // A port where nothing listens: every connection is refused.
    const down = await startSmtp();
    const url = down.url;
    await down.close();
    const maxAttempts = 2;
    const first = await send({ concurrency: 2, maxAttempts, retryMs: 10, pauseMaxMs: 40, maxWaitMs: 1_500 }, url);
    expect(first).toMatchObject({ outcome: "sent", report: { sent: 0, failed: 0, totals: { sent: 0, failed: 0, pending: 4, sending: 0 } } });
    // More refusals than all the deliveries' attempts together would have allowed, none of them spent.
    expect(first.outcome === "sent" && first.report.paused).toBeGreaterThan(maxAttempts * emails.length);
    const { rows } = await database.pool.query(`SELECT status, attempts, error FROM delivery ORDER BY id`);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toMatchObject({ status: "pending", attempts: 0 });
    expect(rows[0].error).toMatch(/ECONNREFUSED/);
    expect(describeRun(first)).toMatch(/4 still pending/);

    // Reported, not dropped: the unfinished digest and the pause, in the health block and by the CLI.
    const health = await digestHealth();
    expect(health).toMatchObject({ unfinished: [{ date: DATE, pending: 4, sending: 0, failed: 0 }], mailBackoff: { lastError: expect.stringMatching(/ECONNREFUSED/) } });
    expect(health.mailBackoff?.failures).toBeGreaterThan(1);
    const cli = await digestProcess(["--date", DATE, "--dry-run"]).exited;
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toContain(`Digest for ${DATE} is unfinished: 4 pending, 0 sending, 0 failed`);
    expect(cli.output).toMatch(/SMTP relay unreachable: \d+ failures in a row/);

    // The relay is back on the same port.
    const revived = await startSmtp({}, Number(new URL(url).port));
    try {
      const second = await send({ concurrency: 2, maxAttempts, retryMs: 10, pauseMaxMs: 40 }, revived.url);
      expect(second).toMatchObject({ outcome: "sent", report: { sent: 4, failed: 0, totals: { sent: 4, pending: 0 } } });
      expect(mailsPer(DATE, revived.mails)).toEqual(oncePerSubscriber(emails));
    } finally {
      await revived.close();
    }
    // A sent mail ended the outage.
    expect(await digestHealth()).toMatchObject({ unfinished: [], mailBackoff: null });
  }, 60_000);

  it("pauses every sender process: a second sender does not claim while the pause lasts", async () => {
    const emails = await addSubscribers(2);
    await database.pool.query(`INSERT INTO mail_backoff (id, until, failures, last_error) VALUES (1, now() + interval '1 hour', 3, 'connect ECONNREFUSED')`);
    const result = await send({ maxWaitMs: 300 });
    expect(result).toMatchObject({ outcome: "sent", report: { sent: 0, paused: 0, totals: { pending: 2 } } });
    expect(smtp.mails).toHaveLength(0);
    expect((await database.pool.query(`SELECT max(attempts) AS n FROM delivery`)).rows[0]).toEqual({ n: 0 });
    await database.pool.query(`UPDATE mail_backoff SET until = now()`);
    expect(await send()).toMatchObject({ outcome: "sent", report: { sent: 2 } });
    expect(mailsPer(DATE)).toEqual(oncePerSubscriber(emails));
  });
});

describe("the next run", () => {
  it("finishes an unfinished earlier digest, oldest first, before the new day", async () => {
    const emails = await addSubscribers(3);
    // A run for the earlier day that sent one mail only (as one stopped early would).
    expect(await send({ date: EARLIER, only: emails[0] })).toMatchObject({ outcome: "sent", report: { sent: 1, totals: { pending: 2 } } });
    const before = await (await getHealth()).json();
    expect(before.digest).toMatchObject({ unfinished: [{ date: EARLIER, pending: 2, sending: 0, failed: 0 }], mailBackoff: null, failed: { deliveries: 0 } });

    const result = await send({ date: undefined });
    expect(result).toMatchObject({
      outcome: "sent",
      date: DATE,
      created: true,
      report: { sent: 3, totals: { sent: 3, pending: 0 } },
      earlier: [{ date: EARLIER, created: false, recipients: 3, report: { sent: 2, totals: { sent: 3, pending: 0, sending: 0 } } }],
    });
    expect(mailsPer(EARLIER)).toEqual(oncePerSubscriber(emails));
    expect(mailsPer(DATE)).toEqual(oncePerSubscriber(emails));
    // Every mail of the earlier digest went out before the first of the new day.
    const dates = smtp.mails.map((mail) => mail.messageId?.slice("<digest.".length, "<digest.".length + 10));
    expect(dates.lastIndexOf(EARLIER)).toBeLessThan(dates.indexOf(DATE));
    expect(describeRun(result).split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^Unfinished digest for ${EARLIER} .*: this run 2 sent`)),
      expect.stringMatching(new RegExp(`^Digest for ${DATE} .*frozen now\\): this run 3 sent`)),
    ]);
    const { rows } = await database.pool.query(`SELECT date::text, completed_at IS NOT NULL AS completed FROM digest ORDER BY date`);
    expect(rows).toEqual([
      { date: EARLIER, completed: true },
      { date: DATE, completed: true },
    ]);
    const after = await (await getHealth()).json();
    expect(after.digest).toMatchObject({ unfinished: [], mailBackoff: null });
  });

  it("reports deliveries that failed for good", async () => {
    const emails = await addSubscribers(2);
    smtp.script = { rcpt: (address) => (address === emails[1] ? { code: 550, message: "No such user" } : undefined) };
    expect(await send()).toMatchObject({ outcome: "sent", report: { sent: 1, failed: 1 } });
    const health = await digestHealth();
    expect(health).toMatchObject({ unfinished: [], mailBackoff: null, failed: { days: 7, deliveries: 1 } });
    expect(describeDigestHealth(health)).toEqual(["1 delivery failed for good in the last 7 days (see the delivery table's error column)."]);
  });
});

describe("a record that changes no row", () => {
  it("throws for each of markSent, markSentAndClaim, markRetry, markFailed and release, and leaves the row alone", async () => {
    await addSubscribers(2);
    await freezeDigest(await computeDigest(DATE, 10));
    const [row] = await deliveryStore.claim(DATE, 111, undefined);
    expect(row).toMatchObject({ attempts: 1 });
    const id = row!.id;
    await expect(deliveryStore.markSent(id, 222, "<x@y>")).rejects.toBeInstanceOf(DeliveryLostError);
    // A record that does not hold claims nothing either: the second subscriber's row stays pending.
    await expect(deliveryStore.markSentAndClaim(id, 222, "<x@y>", { date: DATE, only: undefined, limit: 3 })).rejects.toBeInstanceOf(DeliveryLostError);
    expect((await database.pool.query(`SELECT status FROM delivery WHERE id <> $1`, [id])).rows).toEqual([{ status: "pending" }]);
    await expect(deliveryStore.markRetry(id, 222, "450", 10)).rejects.toBeInstanceOf(DeliveryLostError);
    await expect(deliveryStore.markFailed(id, 222, "550")).rejects.toBeInstanceOf(DeliveryLostError);
    await expect(deliveryStore.release(id, 222)).rejects.toThrow(/release: delivery \d+ is no longer held by sender 222/);
    expect((await database.pool.query(`SELECT status, claimed_by, attempts FROM delivery WHERE id = $1`, [id])).rows).toEqual([{ status: "sending", claimed_by: 111, attempts: 1 }]);
    // The owner's own record works once, and a second one (the row is no longer claimed) throws.
    await deliveryStore.markSent(id, 111, "<x@y>");
    await expect(deliveryStore.markSent(id, 111, "<x@y>")).rejects.toBeInstanceOf(DeliveryLostError);
  });

  it("markSentAndClaim records the mail and claims the next rows in id order, in one statement; none while a pause runs", async () => {
    await addSubscribers(5);
    await freezeDigest(await computeDigest(DATE, 10));
    const [first] = await deliveryStore.claim(DATE, 111, undefined);
    const claimed = await deliveryStore.markSentAndClaim(first!.id, 111, "<first@y>", { date: DATE, only: undefined, limit: 3 });
    const rows = await deliveryRows();
    expect(rows.map((row) => [row.status, row.claimed_by, row.attempts])).toEqual([
      ["sent", null, 1],
      ["sending", 111, 1],
      ["sending", 111, 1],
      ["sending", 111, 1],
      ["pending", null, 0],
    ]);
    expect(claimed.map((row) => row.id)).toEqual(rows.slice(1, 4).map((row) => row.id));
    expect(claimed[0]).toMatchObject({ attempts: 1, editionId: null, email: expect.stringMatching(/@example\.org$/) });
    // While every sender is paused, the record still holds and nothing more is claimed.
    await database.pool.query(`INSERT INTO mail_backoff (id, until, failures, last_error, updated_at) VALUES (1, now() + interval '1 hour', 1, '421', now())`);
    expect(await deliveryStore.markSentAndClaim(claimed[0]!.id, 111, "<second@y>", { date: DATE, only: undefined, limit: 3 })).toEqual([]);
    expect(await deliveries()).toEqual({ sent: 2, sending: 2, pending: 1 });
    // A sent mail ends the outage: the relay works again.
    expect((await database.pool.query(`SELECT failures FROM mail_backoff`)).rows).toEqual([{ failures: 0 }]);
  });

  it("releaseHeld gives back only this sender's claimed rows, attempts unspent", async () => {
    await addSubscribers(4);
    await freezeDigest(await computeDigest(DATE, 10));
    const mine = await deliveryStore.claim(DATE, 111, undefined, 2);
    const theirs = await deliveryStore.claim(DATE, 222, undefined, 1);
    expect(await deliveryStore.releaseHeld(DATE, 111)).toBe(2);
    const rows = await deliveryRows();
    const byId = new Map(rows.map((row) => [row.id, [row.status, row.claimed_by, row.attempts]]));
    for (const row of mine) expect(byId.get(row.id)).toEqual(["pending", null, 0]);
    expect(byId.get(theirs[0]!.id)).toEqual(["sending", 222, 1]);
    expect(await deliveryStore.releaseHeld(DATE, 111)).toBe(0);
  });

  it("sendDigest refuses a transport that would not wait for its checks before the final dot", async () => {
    await addSubscribers(1);
    const { digest } = await freezeDigest(await computeDigest(DATE, 10));
    const plain = nodemailer.createTransport({ url: smtp.url, pool: true });
    try {
      await expect(sendDigest(digest, { transport: plain })).rejects.toThrow(/needs a transport from createMailTransport/);
    } finally {
      plain.close();
    }
    expect(smtp.mails).toHaveLength(0);
    expect(await deliveries()).toEqual({ pending: 1 });
  });

  it("stops the sender when its row was taken after the server accepted the mail; a rerun sends the rest once", async () => {
    const emails = await addSubscribers(3);
    // Another sender "records" the first delivery while the server holds its data.
    smtp.script = {
      data: async (mail, count) => {
        if (count === 1) {
          await database.pool.query(
            `UPDATE delivery d SET status = 'sent', claimed_by = NULL, sent_at = now() FROM subscriber s WHERE s.id = d.subscriber_id AND s.email = $1`,
            [mail.envelopeTo[0]],
          );
        }
        return undefined;
      },
    };
    const error = await send({ concurrency: 1 }).then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(DeliveryLostError);
    expect((error as Error).message).toMatch(/^markSent: delivery \d+ is no longer held/);
    // The sender stopped: its next mail was never accepted.
    expect(smtp.mails).toHaveLength(1);

    smtp.script = {};
    expect(await send()).toMatchObject({ outcome: "sent", report: { totals: { sent: 3, pending: 0, sending: 0 } } });
    expect(mailsPer(DATE)).toEqual(oncePerSubscriber(emails));
  });
});
