// The daily digest against real Postgres and a real SMTP server: the MIME, exactly once under
// crashes, concurrent senders and SMTP failures, and unsubscribes during a send.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runDigest, runLeftWork } from "@/lib/digest/run";
import { reloadEnv } from "@/lib/env";
import { tokenSecret } from "@/lib/mail/secret";
import { unsubscribeToken } from "@/lib/mail/tokens";
import { closeMailTransport, setSmtpUrl } from "@/lib/mail/transport";
import { DIGEST_QUEUE, HARVEST_QUEUE, LIMITS_CLEANUP_QUEUE, startScheduler } from "@/lib/jobs/scheduler";
import { unsubscribe } from "@/lib/subscriptions/subscribe";
import { headerPairs, startSmtp, type TestSmtp } from "./smtp";
import { sendDigestTo } from "./digest-run";
import { createAppDatabase, type TestDatabase } from "./test-db";

const DATE = "2026-06-16";
let database: TestDatabase;
let smtp: TestSmtp;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
  // An abstract and a title that try to inject markup into the mail.
  await database.pool.query(
    `UPDATE paper SET abstract = 'We study <script>alert(1)</script> and <img src=x onerror=alert(1)> in transformers.', title = title || ' <b>bold</b>'
     WHERE id = (SELECT id FROM paper WHERE listed_at = $1 ORDER BY source_upvotes DESC LIMIT 1)`,
    [DATE],
  );
  smtp = await startSmtp();
});

afterAll(async () => {
  await smtp.close();
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE digest, subscriber CASCADE`);
  smtp.reset();
});

async function addSubscribers(count: number, status = "confirmed"): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `reader${String(i + 1).padStart(3, "0")}@example.org`);
  await database.pool.query(`INSERT INTO subscriber (email, status, confirmed_at) SELECT unnest($1::text[]), $2, now()`, [emails, status]);
  return emails;
}

/** Recipients of accepted mails, each once per mail. */
const recipients = () => smtp.mails.flatMap((mail) => mail.envelopeTo).sort();

async function deliveries(): Promise<Record<string, number>> {
  const { rows } = await database.pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM delivery GROUP BY status`);
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

const send = (options: Parameters<typeof runDigest>[0] = {}) => sendDigestTo(smtp.url, { date: DATE, ...options });

/** `npm run digest` in its own process, as a worker would run it. */
function digestProcess(extraEnv: Record<string, string> = {}) {
  // tsx as a loader in this one process (its CLI would put a parent in between that SIGKILL cannot pass).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/digest.ts", "--date", DATE], {
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

describe("the digest mail", () => {
  it("has both parts, the list headers, absolute links and escaped abstracts", async () => {
    const [email] = await addSubscribers(1);
    const result = await send();
    expect(result).toMatchObject({ outcome: "sent", date: DATE, papers: 10, created: true, recipients: 1 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.envelopeTo).toEqual([email]);
    expect(mail.subject).toMatch(/^Trending papers for June 16, 2026: /);
    expect(mail.from?.text).toContain("digest@papers.test");
    expect(mail.messageId).toMatch(/^<digest\.2026-06-16\.\d+@localhost>$/);

    const { rows } = await database.pool.query<{ id: string }>(`SELECT id::text FROM subscriber`);
    const token = unsubscribeToken(tokenSecret(), BigInt(rows[0]!.id));
    const headers = `\r\n${mail.raw.slice(0, mail.raw.indexOf("\r\n\r\n"))}\r\n`.replace(/\r\n[ \t]+/g, " ");
    expect(headers).toContain(`\r\nList-Unsubscribe: <http://localhost:3000/api/unsubscribe?token=${token}>\r\n`);
    expect(headers).toContain("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");

    const html = String(mail.html);
    const text = String(mail.text);
    expect(html.length).toBeGreaterThan(1_000);
    expect(text.length).toBeGreaterThan(500);
    expect(html).toContain(`http://localhost:3000/unsubscribe?token=${token}`);
    expect(text).toContain(`http://localhost:3000/unsubscribe?token=${token}`);
    expect(html).toContain("http://localhost:3000/digests/2026-06-16");
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);
    expect(hrefs.length).toBeGreaterThan(10);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    // The injected markup arrives as text, never as tags.
    expect(html).not.toMatch(/<script|<img|<b>bold/i);
    expect(html).toContain("&lt;script&gt;");
    expect(text).toContain("<script>alert(1)</script>");

    const frozen = await database.pool.query(`SELECT jsonb_array_length(papers) AS n, completed_at FROM digest WHERE date = $1`, [DATE]);
    expect(frozen.rows[0]).toMatchObject({ n: 10 });
    expect(frozen.rows[0].completed_at).toBeInstanceOf(Date);
    expect(await deliveries()).toEqual({ sent: 1 });
  });

  it("carries the list's List-Id (from APP_URL) and no Feedback-ID by default", async () => {
    await addSubscribers(1);
    await send();
    const headers = headerPairs(smtp.mails[0]!.raw);
    expect(headers).toContainEqual(["list-id", "Trending Papers <digest.localhost>"]);
    expect(headers.map(([name]) => name)).not.toContain("feedback-id");
  });

  it("carries Feedback-ID when MAIL_FEEDBACK_ID is set, and List-Id from APP_URL's host", async () => {
    vi.stubEnv("MAIL_FEEDBACK_ID", "digest:trending-papers:example");
    vi.stubEnv("APP_URL", "https://papers.example.org");
    reloadEnv();
    try {
      await addSubscribers(1);
      await send();
      const headers = headerPairs(smtp.mails[0]!.raw);
      expect(headers).toContainEqual(["list-id", "Trending Papers <digest.papers.example.org>"]);
      expect(headers).toContainEqual(["feedback-id", "digest:trending-papers:example"]);
    } finally {
      vi.unstubAllEnvs();
      reloadEnv();
    }
  });

  it("sends nothing for a day without papers and says so", async () => {
    await addSubscribers(2);
    const result = await send({ date: "2026-06-13" });
    expect(result).toEqual({ outcome: "no-papers", date: "2026-06-13" });
    expect(smtp.mails).toHaveLength(0);
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM digest`)).rows[0].n).toBe(0);
  });

  it("goes only to confirmed subscribers, and a dry run writes and sends nothing", async () => {
    const confirmed = await addSubscribers(3);
    await database.pool.query(`INSERT INTO subscriber (email, status) VALUES ('pending@example.org', 'pending'), ('gone@example.org', 'unsubscribed')`);
    const dry = await send({ dryRun: true });
    expect(dry).toMatchObject({ outcome: "dry-run", recipients: 3, existing: false });
    expect(smtp.mails).toHaveLength(0);
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM digest`)).rows[0].n).toBe(0);
    await send();
    expect(recipients()).toEqual(confirmed);
  });

  it("freezes the paper list and the audience: a rerun sends nothing new, later subscribers wait for the next digest", async () => {
    await addSubscribers(4);
    await send();
    const before = (await database.pool.query(`SELECT papers FROM digest WHERE date = $1`, [DATE])).rows[0].papers;
    await database.pool.query(`UPDATE paper SET source_upvotes = source_upvotes + 10000 WHERE id = (SELECT id FROM paper WHERE listed_at = $1 ORDER BY source_upvotes LIMIT 1)`, [DATE]);
    await database.pool.query(`INSERT INTO subscriber (email, status, confirmed_at) VALUES ('late@example.org', 'confirmed', now())`);
    const rerun = await send();
    expect(rerun).toMatchObject({ outcome: "sent", created: false, report: { sent: 0 } });
    expect(smtp.mails).toHaveLength(4);
    expect((await database.pool.query(`SELECT papers FROM digest WHERE date = $1`, [DATE])).rows[0].papers).toEqual(before);
  });
});

describe("one subscriber's mail (--only)", () => {
  it("sends that mail alone, and counts as done once it is sent, whatever else is pending", async () => {
    const [first] = await addSubscribers(3);
    const result = await send({ only: first });
    expect(recipients()).toEqual([first]);
    expect(result).toMatchObject({ outcome: "sent", report: { sent: 1, pending: 0, totals: { sent: 1, pending: 2 } } });
    expect(runLeftWork(result)).toBe(false);
  });
});

describe("exactly once", () => {
  it("a sender killed with SIGKILL mid-digest, then restarted: one mail per confirmed subscriber", async () => {
    const emails = await addSubscribers(12);
    const first = digestProcess({ DIGEST_CONCURRENCY: "1" });
    // Kill the sender while the 6th mail's data is in the server, before the server answers.
    smtp.script = {
      data: async (_mail, count) => {
        if (count !== 6) return undefined;
        first.child.kill("SIGKILL");
        await first.exited;
        return { code: 421, message: "connection lost" };
      },
    };
    const killed = await first.exited;
    expect(killed.signal).toBe("SIGKILL");
    expect(smtp.mails).toHaveLength(5);
    // Every mail the server accepted was recorded before the next one could be accepted; the mail
    // in flight and the row claimed ahead are left in `sending`.
    const left = await deliveries();
    expect(left.sent).toBe(5);
    expect(left.sending).toBeGreaterThanOrEqual(1);
    expect(left.sending).toBeLessThanOrEqual(2);

    smtp.script = {};
    const second = await digestProcess().exited;
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/in flight in a sender that stopped/);
    expect(recipients()).toEqual(emails);
    expect(await deliveries()).toEqual({ sent: 12 });
  }, 90_000);

  it("a mail is accepted only once the lane's previous mail is recorded as sent", async () => {
    const emails = await addSubscribers(3);
    // Hold the first delivery's row from the moment its data is in, so its "sent" cannot be written.
    const holder = await database.pool.connect();
    await holder.query("BEGIN");
    smtp.script = {
      data: async (mail, count) => {
        if (count === 1) await holder.query(`SELECT 1 FROM delivery d JOIN subscriber s ON s.id = d.subscriber_id WHERE s.email = $1 FOR UPDATE OF d`, [mail.envelopeTo[0]]);
        return undefined;
      },
    };
    const sending = send({ concurrency: 1 });
    try {
      await smtp.waitFor(1);
      // The second mail's envelope may go out, but the server must not get its whole message.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(smtp.mails).toHaveLength(1);
    } finally {
      await holder.query("COMMIT");
      holder.release();
    }
    const result = await sending;
    expect(result.outcome === "sent" && result.report.sent).toBe(3);
    expect(recipients()).toEqual(emails);
  });

  it("two senders at once: one mail per confirmed subscriber", async () => {
    const emails = await addSubscribers(30);
    smtp.script = { data: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 15)) };
    const [a, b] = await Promise.all([digestProcess({ DIGEST_CONCURRENCY: "3" }).exited, digestProcess({ DIGEST_CONCURRENCY: "3" }).exited]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    expect(recipients()).toEqual(emails);
    expect(await deliveries()).toEqual({ sent: 30 });
  }, 90_000);

  it("a run that overlaps one still going (a job past its timeout) sends nothing twice", async () => {
    const emails = await addSubscribers(20);
    smtp.script = { data: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 10)) };
    const first = send({ concurrency: 2 });
    await smtp.waitFor(3);
    const second = send({ concurrency: 2 });
    const [one, two] = await Promise.all([first, second]);
    expect(one.outcome === "sent" && one.report.sent + (two.outcome === "sent" ? two.report.sent : 0)).toBe(20);
    expect(recipients()).toEqual(emails);
  });
});

describe("SMTP failures", () => {
  it("retries 421 answers with backoff until the server recovers", async () => {
    const emails = await addSubscribers(6);
    let refusals = 0;
    smtp.script = { data: () => (refusals++ < 8 ? { code: 421, message: "Service not available, try later" } : undefined) };
    const result = await send({ concurrency: 2 });
    expect(result.outcome === "sent" && result.report).toMatchObject({ sent: 6, failed: 0 });
    expect(result.outcome === "sent" && result.report.retried).toBeGreaterThanOrEqual(8);
    expect(recipients()).toEqual(emails);
    // A 421 is the server closing the channel, not a verdict on the address: it pauses every sender
    // (tests/integration/digest-faults.test.ts) and spends no delivery's attempt.
    const { rows } = await database.pool.query<{ attempts: number }>(`SELECT max(attempts) AS attempts FROM delivery`);
    expect(rows[0]!.attempts).toBe(1);
  });

  it("retries a 450 for one address with that delivery's own backoff, spending its attempts", async () => {
    const emails = await addSubscribers(3);
    let refusals = 0;
    smtp.script = { rcpt: (address) => (address === emails[1] && refusals++ < 2 ? { code: 450, message: "Mailbox busy" } : undefined) };
    const result = await send({ concurrency: 1 });
    expect(result.outcome === "sent" && result.report).toMatchObject({ sent: 3, failed: 0, retried: 2, paused: 0 });
    expect(recipients()).toEqual(emails);
    const { rows } = await database.pool.query(`SELECT s.email, d.attempts FROM delivery d JOIN subscriber s ON s.id = d.subscriber_id ORDER BY s.email`);
    expect(rows).toEqual(emails.map((email, i) => ({ email, attempts: i === 1 ? 3 : 1 })));
  });

  it("retries when the server is down, and delivers once it is back", async () => {
    const emails = await addSubscribers(3);
    const down = await startSmtp();
    const url = down.url;
    await down.close();
    const running = sendDigestTo(url, { date: DATE, concurrency: 2, retryMs: 50 });
    // The sender has tried and recorded why it could not send (however long freezing took here).
    await vi.waitFor(
      async () => {
        const { rows } = await database.pool.query<{ error: string | null }>(`SELECT error FROM delivery WHERE error IS NOT NULL LIMIT 1`);
        expect(rows[0]?.error).toMatch(/ECONNREFUSED|connect/i);
      },
      { timeout: 10_000, interval: 50 },
    );
    // The server comes back on the port the sender keeps trying.
    const revived = await startSmtp({}, Number(new URL(url).port));
    try {
      const result = await running;
      expect(result.outcome === "sent" && result.report.sent).toBe(3);
      expect(revived.mails.flatMap((mail) => mail.envelopeTo).sort()).toEqual(emails);
    } finally {
      await revived.close();
    }
  }, 60_000);

  it("a 550 for one address fails that delivery only", async () => {
    const emails = await addSubscribers(5);
    smtp.script = { rcpt: (address) => (address === emails[2] ? { code: 550, message: "No such user" } : undefined) };
    const result = await send();
    expect(result.outcome === "sent" && result.report).toMatchObject({ sent: 4, failed: 1 });
    expect(recipients()).toEqual(emails.filter((email) => email !== emails[2]));
    const { rows } = await database.pool.query(`SELECT d.status, d.error, d.attempts FROM delivery d JOIN subscriber s ON s.id = d.subscriber_id WHERE s.email = $1`, [emails[2]]);
    expect(rows[0]).toMatchObject({ status: "failed", attempts: 1 });
    expect(rows[0].error).toMatch(/No such user/);
  });
});

describe("unsubscribing", () => {
  it("during a send stops that subscriber's mail", async () => {
    const emails = await addSubscribers(8);
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id::text FROM subscriber WHERE email = $1`, [emails.at(-1)]);
    const token = unsubscribeToken(tokenSecret(), BigInt(rows[0]!.id));
    smtp.script = {
      data: async (_mail, count) => {
        if (count === 1) await unsubscribe(token);
        await new Promise((resolve) => setTimeout(resolve, 10));
        return undefined;
      },
    };
    const result = await send({ concurrency: 1 });
    expect(result.outcome === "sent" && result.report).toMatchObject({ sent: 7, skipped: 1 });
    expect(recipients()).toEqual(emails.slice(0, -1));
    expect(await deliveries()).toEqual({ sent: 7, skipped: 1 });
  });
});

describe("the scheduler", () => {
  it("runs the digest job, and the hourly cleanup of expired limits, on pg-boss in the same Postgres", async () => {
    const emails = await addSubscribers(2);
    const logs: string[] = [];
    setSmtpUrl(smtp.url);
    const scheduler = await startScheduler({ databaseUrl: database.url, log: (message) => logs.push(message) });
    try {
      const { rows } = await database.pool.query(`SELECT name, cron, timezone FROM pgboss.schedule ORDER BY cron`);
      // The harvest runs before the digest, so the digest has the day's papers; expired limits go hourly.
      expect(rows).toEqual([
        { name: HARVEST_QUEUE, cron: "0 2 * * *", timezone: "UTC" },
        { name: DIGEST_QUEUE, cron: "0 7 * * *", timezone: "UTC" },
        { name: LIMITS_CLEANUP_QUEUE, cron: "30 * * * *", timezone: "UTC" },
      ]);
      await scheduler.boss.send(DIGEST_QUEUE, {});
      await smtp.waitFor(2, 30_000);
      expect(recipients()).toEqual(emails);
      // The cleanup job deletes expired limit rows and keeps live ones.
      await database.pool.query(`INSERT INTO rate_limit (key, points, expire) VALUES ('expired:a', 1, $1), ('live:a', 1, $2)`, [Date.now() - 1_000, Date.now() + 3_600_000]);
      await scheduler.boss.send(LIMITS_CLEANUP_QUEUE, {});
      const deadline = Date.now() + 20_000;
      while ((await database.pool.query(`SELECT 1 FROM rate_limit WHERE key = 'expired:a'`)).rowCount !== 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await database.pool.query(`SELECT key FROM rate_limit WHERE key IN ('expired:a', 'live:a')`)).rows).toEqual([{ key: "live:a" }]);
    } finally {
      await scheduler.stop();
      closeMailTransport();
    }
    expect(logs.join("\n")).toMatch(/Digest for 2026-06-16 .*2 sent/);
  }, 60_000);
});
