import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { encodeDocumentId } from "@/lib/search/document";
import { resolveKeys } from "@/lib/search/meilisearch";
import { syncSearch } from "@/lib/search/sync";
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from "@/lib/services/embedded-meilisearch";
import { createDatabase, type TestDatabase } from "./test-db";

// Real Meilisearch processes on throwaway data folders: one healthy, one stopped with SIGSTOP,
// one killed with SIGKILL. What is checked is what the kernel says runs on each folder.

let tmp: string;
let database: TestDatabase;
const started: EmbeddedMeilisearch[] = [];
const paused: number[] = [];

/** The pids of every Meilisearch process serving `dataDir`. */
function serversOn(dataDir: string): number[] {
  const found = spawnSync("pgrep", ["-f", `meilisearch .*--db-path ${path.join(dataDir, "data.ms")}( |$)`], { encoding: "utf8" }).stdout.trim();
  return found === "" ? [] : found.split("\n").map(Number);
}

function record(dataDir: string): { port: number; owner?: { pid: number } } {
  return JSON.parse(fs.readFileSync(path.join(dataDir, "meilisearch.json"), "utf8"));
}

async function start(dataDir: string, log?: (message: string) => void): Promise<EmbeddedMeilisearch> {
  const meili = await startEmbeddedMeilisearch({ dataDir, port: 0, log });
  if (meili.owned) started.push(meili);
  return meili;
}

function signal(pid: number, name: NodeJS.Signals): void {
  process.kill(pid, name);
  if (name === "SIGSTOP") paused.push(pid);
  if (name === "SIGCONT") paused.splice(paused.indexOf(pid), 1);
}

/** npm run ingest in a second terminal: the real CLI, in its own process, with this checkout's services under `dataDir`. */
function ingestCli(dataDir: string, file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, DATA_DIR: dataDir };
  for (const name of ["MEILI_URL", "MEILI_MASTER_KEY", "MEILI_SEARCH_KEY", "EMBEDDED_MEILI_PORT"]) delete env[name];
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/ingest.ts", file], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

async function outboxed(paperId: string): Promise<number> {
  return (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_outbox WHERE paper_id = $1`, [paperId])).rows[0]!.n;
}

async function documentOf(meili: EmbeddedMeilisearch, index: string, paperId: string): Promise<{ paperId?: string; status: number }> {
  const response = await fetch(`${meili.url}/indexes/${index}/documents/${encodeDocumentId(paperId)}`, { headers: { Authorization: `Bearer ${meili.masterKey}` } });
  return { status: response.status, ...((await response.json()) as { paperId?: string }) };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meili-owner-it-"));
  database = await createDatabase();
  const paper = (id: string, title: string) => JSON.stringify({ id, title, abstract: "Nothing is lost while the engine sleeps.", versions: [{ version: "v1", created: "Thu, 2 Jul 2026 10:00:00 GMT" }] });
  fs.writeFileSync(path.join(tmp, "late.jsonl"), paper("2607.00303", "Paused servers and patient queues"));
  fs.writeFileSync(path.join(tmp, "kept.jsonl"), paper("2607.00304", "Killed servers and kept data"));
});

afterEach(async () => {
  // A failed assertion must not leave a stopped or running Meilisearch behind.
  for (const pid of [...paused]) signal(pid, "SIGCONT");
  for (const meili of started.splice(0)) await meili.stop();
});

afterAll(async () => {
  await database.drop();
  for (const dir of fs.readdirSync(tmp)) for (const pid of serversOn(path.join(tmp, dir))) process.kill(pid, "SIGKILL");
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("one embedded Meilisearch per data folder", () => {
  it("a healthy owner is reused, also when its record is lost or is an older version's", async () => {
    const dataDir = path.join(tmp, "healthy");
    const owner = await start(dataDir);
    const [pid] = serversOn(dataDir);
    expect(owner.owned).toBe(true);
    expect(await start(dataDir)).toMatchObject({ owned: false, url: owner.url });
    // Older versions wrote only a port; a lost record says nothing: the process serving the folder is found all the same.
    fs.writeFileSync(path.join(dataDir, "meilisearch.json"), JSON.stringify({ port: 1 }));
    expect(await start(dataDir)).toMatchObject({ owned: false, url: owner.url });
    fs.rmSync(path.join(dataDir, "meilisearch.json"));
    expect(await start(dataDir)).toMatchObject({ owned: false, url: owner.url });
    expect(serversOn(dataDir)).toEqual([pid]);
    expect(record(dataDir)).toMatchObject({ port: Number(new URL(owner.url).port), owner: { pid } });
  });

  it("a hung owner (SIGSTOP): npm run ingest starts no second server, says so, and the changes wait in the outbox until it answers", async () => {
    const dataDir = path.join(tmp, "data");
    const owner = await start(path.join(dataDir, "meili"));
    const port = Number(new URL(owner.url).port);
    const [pid] = serversOn(path.join(dataDir, "meili"));
    signal(pid!, "SIGSTOP");

    const run = await ingestCli(dataDir, path.join(tmp, "late.jsonl"));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Meilisearch on port ${port} is not answering; changes stay queued and are indexed when it answers`);
    expect(run.stdout).toMatch(/1 inserted/);
    expect(serversOn(path.join(dataDir, "meili"))).toEqual([pid]);
    expect(record(path.join(dataDir, "meili"))).toMatchObject({ port });
    expect(await outboxed("2607.00303")).toBe(1);

    signal(pid!, "SIGCONT");
    const keys = await resolveKeys(owner.url, owner.masterKey, "papers");
    expect(await syncSearch(database.pool, { url: owner.url, key: keys.admin, index: "papers", timeoutMs: 5_000 })).toMatchObject({ indexed: 1 });
    expect(await outboxed("2607.00303")).toBe(0);
    expect(await documentOf(owner, "papers", "2607.00303")).toMatchObject({ status: 200, paperId: "2607.00303" });
  });

  it("a dead owner (SIGKILL): its stale record is replaced and a fresh server opens the same data", async () => {
    const dataDir = path.join(tmp, "dead");
    const first = await start(dataDir);
    const keys = await resolveKeys(first.url, first.masterKey, "papers");
    await ingestFiles(database.pool, [path.join(tmp, "kept.jsonl")], { today: "2026-07-02" });
    await syncSearch(database.pool, { url: first.url, key: keys.admin, index: "papers", timeoutMs: 5_000 });
    expect(await documentOf(first, "papers", "2607.00304")).toMatchObject({ status: 200 });
    const [pid] = serversOn(dataDir);
    signal(pid!, "SIGKILL");
    started.splice(started.indexOf(first), 1);
    // A signal is delivered when the kernel gets to it: the owner is dead once it no longer runs
    // (on a busy machine the next start could otherwise find it still serving).
    await vi.waitFor(() => expect(serversOn(dataDir)).not.toContain(pid), { timeout: 10_000, interval: 20 });

    const logged: string[] = [];
    const fresh = await start(dataDir, (message) => logged.push(message));
    expect(fresh).toMatchObject({ owned: true });
    const [freshPid] = serversOn(dataDir);
    expect(freshPid).not.toBe(pid);
    expect(await documentOf(fresh, "papers", "2607.00304")).toMatchObject({ status: 200, paperId: "2607.00304" });
    // The record names the new owner; the old one's was found dead and replaced.
    expect(record(dataDir)).toMatchObject({ port: Number(new URL(fresh.url).port), owner: { pid: freshPid } });
    expect(logged).toEqual(expect.arrayContaining([expect.stringContaining(`(pid ${pid}) has ended; starting a fresh one on the same data`)]));
  });

  it("two processes starting at once on one folder start one server", async () => {
    const dataDir = path.join(tmp, "race");
    const [a, b] = await Promise.all([start(dataDir), start(dataDir)]);
    expect([a!.owned, b!.owned].sort()).toEqual([false, true]);
    expect(a!.url).toBe(b!.url);
    expect(serversOn(dataDir)).toHaveLength(1);
  });
});
