import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/services/embedded-postgres";

const isRoot = process.getuid?.() === 0;

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

// Postgres refuses to run as root, so as root it runs as the postgres user; when that user cannot
// enter the data folder (a checkout under /root), the cluster goes to a folder in the temp folder.
describe.runIf(isRoot)("the embedded Postgres started by root from a folder the postgres user cannot enter", () => {
  let privateDir: string;
  let dataDir: string;
  /** Where earlier versions kept the cluster, a name anyone could compute and plant a link at. */
  let guessable: string;
  let victim: string;
  const made: string[] = [];

  const state = () => JSON.parse(fs.readFileSync(path.join(dataDir, "postgres.json"), "utf8")) as { dataDir: string };

  beforeAll(() => {
    privateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-private-it-")); // 0700: only root enters
    dataDir = path.join(privateDir, "data");
    guessable = path.join(os.tmpdir(), `trending-papers-${Buffer.from(dataDir).toString("base64url").slice(-40)}`);
    victim = fs.mkdtempSync(path.join(os.tmpdir(), "pg-victim-it-"));
    fs.symlinkSync(victim, guessable);
  });

  afterAll(() => {
    fs.rmSync(guessable, { force: true });
    for (const dir of [privateDir, victim, ...made]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the cluster in a new folder of its own, never through a planted link, and a second process and a restart find it", async () => {
    const postgresUid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim() || Number.NaN);
    const first = await startEmbeddedPostgres({ dataDir, port: 0 });
    let fallback: string;
    try {
      fallback = path.dirname(state().dataDir);
      made.push(fallback);
      expect(path.dirname(fallback)).toBe(os.tmpdir());
      expect(path.basename(fallback)).toMatch(/^trending-papers-postgres-data-[A-Za-z0-9]{6}$/);
      const folder = fs.lstatSync(fallback);
      expect({ link: folder.isSymbolicLink(), uid: folder.uid, mode: folder.mode & 0o777 }).toEqual({ link: false, uid: postgresUid || folder.uid, mode: 0o755 });
      // What the planted link points at was neither handed over nor used.
      const target = fs.statSync(victim);
      expect({ uid: target.uid, mode: target.mode & 0o777, entries: fs.readdirSync(victim) }).toEqual({ uid: 0, mode: 0o700, entries: [] });

      // Another process pointing at the same folder reuses the running server.
      const second = await startEmbeddedPostgres({ dataDir, port: 0 });
      expect(second).toMatchObject({ owned: false, url: first.url });
      await query(first.url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
    } finally {
      await first.stop();
    }

    // The next start finds the cluster where the state file says, with its data.
    const again = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      expect(again.owned).toBe(true);
      expect(path.dirname(state().dataDir)).toBe(fallback);
      expect(await query<{ n: number }>(again.url, "SELECT n FROM kept")).toEqual([{ n: 42 }]);
    } finally {
      await again.stop();
    }
  });
});
