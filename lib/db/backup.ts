// Backups of the database: one consistent snapshot of every table of the app, written as COPY data
// into one gzip file, and its restore into an empty database (schema rebuilt from the committed
// migrations the backup was taken at, then brought up to date).
//
// Why not pg_dump: the embedded Postgres package ships only initdb, pg_ctl and postgres, and a
// pg_dump older than the server refuses to dump it (Debian 12's is 15; the embedded server is 18).
// The schema is the committed migrations anyway, so the data and the list of migrations applied
// are all a backup needs, and the same code works for the embedded Postgres and for DATABASE_URL.
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { finished, pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
// The migration runner's advisory lock: no process migrates while a restore rebuilds.
import { appliedMigrations, listMigrations, migrate, MIGRATION_LOCK, MIGRATIONS_DIR } from "./migrate";

const FORMAT = "trending-papers-backup";
const VERSION = 1;
/** Derived from papers on every write and re-queued by the restore (the index is rebuilt): not backed up. */
const SKIPPED = new Set(["search_outbox"]);
/** Prisma's migration bookkeeping: backed up, but it does not make a database "not empty". */
const BOOKKEEPING = "_prisma_migrations";
const MAX_FRAME = 256 * 1024 * 1024;

/** A backup that cannot be read or a target that must not be written: the message says which, and why. */
export class BackupError extends Error {}

type TableSpec = { name: string; columns: string[] };
type Header = {
  format: string;
  version: number;
  createdAt: string;
  server: string;
  migrations: { name: string; checksum: string }[];
  tables: TableSpec[];
  sequences: { name: string; value: string; called: boolean }[];
};

export type BackupReport = { file: string; bytes: number; createdAt: string; rows: Record<string, number> };
export type RestoreReport = { file: string; createdAt: string; rows: Record<string, number>; replaced: Record<string, number>; migrated: string[] };

// Same session settings on both sides, so COPY's text round-trips exactly (pg_dump sets these too).
const SESSION = `SET client_encoding = 'UTF8'; SET datestyle = 'ISO, MDY'; SET intervalstyle = 'postgres'; SET extra_float_digits = 3; SET TimeZone = 'UTC'`;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The app's tables in public, parents before children (foreign keys), each with its stored columns. */
async function appTables(client: pg.Client): Promise<TableSpec[]> {
  const columns = await client.query<{ table: string; columns: string[] }>(
    `SELECT c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') GROUP BY c.relname ORDER BY c.relname`,
  );
  const edges = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"(.*)"$/, "$1").replaceAll('""', '"');
  const parents = new Map<string, Set<string>>();
  for (const edge of edges.rows) {
    if (edge.child === edge.parent) continue;
    parents.set(unquote(edge.child), (parents.get(unquote(edge.child)) ?? new Set()).add(unquote(edge.parent)));
  }
  const ordered: TableSpec[] = [];
  const placed = new Set<string>();
  let pending = columns.rows.filter((row) => !SKIPPED.has(row.table));
  while (pending.length > 0) {
    const ready = pending.filter((row) => [...(parents.get(row.table) ?? [])].every((parent) => placed.has(parent) || SKIPPED.has(parent)));
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among ${pending.map((row) => row.table).join(", ")}`);
    for (const row of ready) {
      ordered.push({ name: row.table, columns: row.columns });
      placed.add(row.table);
    }
    pending = pending.filter((row) => !placed.has(row.table));
  }
  return ordered;
}

function frame(type: string, payload: Buffer | string): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** `trending-papers-20260701T120000Z.backup`: sorts by time, and never overwrites an earlier one. */
export function backupFileName(at: Date): string {
  return `trending-papers-${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}.backup`;
}

/**
 * Writes a backup of `url` into `dir` (created 0700; the file is 0600: it holds addresses and
 * sessions). Every table is read in one repeatable-read snapshot, so the backup is consistent
 * while the site keeps running. The file appears under its name only once it is complete.
 */
export async function backupDatabase(url: string, dir: string, now = new Date()): Promise<BackupReport> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(path.resolve(dir), backupFileName(now));
  const partial = `${file}.partial`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const gzip = createGzip();
  const written = pipeline(gzip, fs.createWriteStream(partial, { flags: "wx", mode: 0o600 }));
  written.catch(() => undefined);
  const put = async (chunk: Buffer) => {
    if (!gzip.write(chunk)) await Promise.race([once(gzip, "drain"), written]);
  };
  try {
    await client.query(SESSION);
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const tables = await appTables(client);
    const migrations = await appliedMigrations(client);
    const sequences: Header["sequences"] = [];
    const names = await client.query<{ name: string }>(`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY 1`);
    for (const { name } of names.rows) {
      const value = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM public.${quote(name)}`);
      sequences.push({ name, value: value.rows[0]!.last_value, called: value.rows[0]!.is_called });
    }
    const server = (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
    const header: Header = { format: FORMAT, version: VERSION, createdAt: now.toISOString(), server, migrations, tables, sequences };
    await put(frame("H", JSON.stringify(header)));
    const rows: Record<string, number> = {};
    for (const table of tables) {
      await put(frame("T", JSON.stringify(table)));
      const stream = client.query(copyTo(`COPY public.${quote(table.name)} (${table.columns.map(quote).join(", ")}) TO STDOUT`));
      for await (const chunk of stream as AsyncIterable<Buffer>) await put(frame("D", chunk));
      rows[table.name] = stream.rowCount;
      await put(frame("E", JSON.stringify({ rows: stream.rowCount })));
    }
    await put(frame("Z", JSON.stringify({ rows })));
    await client.query("COMMIT");
    gzip.end();
    await written;
    fs.renameSync(partial, file);
    return { file, bytes: fs.statSync(file).size, createdAt: header.createdAt, rows };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined);
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The frames of a backup file, checked as they come: a damaged or cut file throws a BackupError. */
async function* readFrames(file: string): AsyncGenerator<{ type: string; payload: Buffer }> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  let buffered: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of fs.createReadStream(file).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      buffered = buffered.length > 0 ? Buffer.concat([buffered, chunk]) : chunk;
      let offset = 0;
      while (buffered.length - offset >= 5) {
        const length = buffered.readUInt32BE(offset + 1);
        if (length > MAX_FRAME) throw new BackupError(`${file} is damaged (a record claims ${length} bytes).`);
        if (buffered.length - offset - 5 < length) break;
        yield { type: String.fromCharCode(buffered[offset]!), payload: buffered.subarray(offset + 5, offset + 5 + length) };
        offset += 5 + length;
      }
      buffered = buffered.subarray(offset);
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code.startsWith("Z_")) throw new BackupError(`${file} is damaged or cut short (${(error as Error).message}); nothing was restored from it.`);
    throw error;
  }
  if (buffered.length > 0) throw new BackupError(`${file} is cut short (it ends inside a record); nothing was restored from it.`);
}

function parseJson<T>(file: string, payload: Buffer): T {
  try {
    return JSON.parse(payload.toString("utf8")) as T;
  } catch {
    throw new BackupError(`${file} is damaged (a record is not readable).`);
  }
}

/** Rows in each table of the app that has any (the bookkeeping of migrations aside). */
async function contents(client: pg.Client): Promise<Record<string, number>> {
  const tables = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY 1`,
    [BOOKKEEPING],
  );
  const found: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const count = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.${quote(name)}`);
    if (count.rows[0]!.n > 0) found[name] = count.rows[0]!.n;
  }
  return found;
}

/** Other sessions on this database, given a moment to go: a connection just closed (the migration's) may still be listed. */
async function otherConnections(client: pg.Client): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    if (rows[0]!.n === 0 || attempt >= 20) return rows[0]!.n;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Drops what the migrations made in public (the extensions stay), keeping the bookkeeping table, emptied. */
async function dropSchema(client: pg.Client): Promise<void> {
  const owned = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = o.oid AND d.deptype = 'e')`;
  const drops = await client.query<{ sql: string }>(
    `SELECT format('DROP TABLE IF EXISTS public.%I CASCADE', o.relname) AS sql FROM pg_class o JOIN pg_namespace n ON n.oid = o.relnamespace
       WHERE n.nspname = 'public' AND o.relkind IN ('r', 'p') AND o.relname <> $1 AND ${owned}
     UNION ALL SELECT format('DROP VIEW IF EXISTS public.%I CASCADE', o.relname) FROM pg_class o JOIN pg_namespace n ON n.oid = o.relnamespace
       WHERE n.nspname = 'public' AND o.relkind = 'v' AND ${owned}
     UNION ALL SELECT format('DROP SEQUENCE IF EXISTS public.%I CASCADE', o.relname) FROM pg_class o JOIN pg_namespace n ON n.oid = o.relnamespace
       WHERE n.nspname = 'public' AND o.relkind = 'S' AND ${owned}
     UNION ALL SELECT format('DROP FUNCTION IF EXISTS %s CASCADE', o.oid::regprocedure) FROM pg_proc o JOIN pg_namespace n ON n.oid = o.pronamespace
       WHERE n.nspname = 'public' AND ${owned}
     UNION ALL SELECT format('DROP TYPE IF EXISTS public.%I CASCADE', o.typname) FROM pg_type o JOIN pg_namespace n ON n.oid = o.typnamespace
       WHERE n.nspname = 'public' AND o.typtype IN ('e', 'd') AND ${owned}`,
    [BOOKKEEPING],
  );
  for (const { sql } of drops.rows) await client.query(sql);
  await client.query(`TRUNCATE ${BOOKKEEPING}`);
}

/** The local migrations the backup was taken at; refuses a backup from newer code or from edited migrations. */
function migrationsOf(header: Header): ReturnType<typeof listMigrations> {
  const local = new Map(listMigrations(MIGRATIONS_DIR).map((migration) => [migration.name, migration]));
  const wanted = new Set(header.migrations.map((migration) => migration.name));
  for (const { name, checksum } of header.migrations) {
    const migration = local.get(name);
    if (!migration) throw new BackupError(`The backup was taken by a newer version of Trending Papers (migration ${name} is not in this checkout); update the code, then restore.`);
    if (migration.checksum !== checksum) throw new BackupError(`Migration ${name} differs from the one the backup was taken with; restore with the code it was taken with.`);
  }
  return [...local.values()].filter((migration) => wanted.has(migration.name));
}

/**
 * Loads a backup into the database at `url`, which must hold no rows (unless `force`: then what it
 * holds is replaced, and the report says what). In one transaction: the schema is rebuilt from the
 * migrations the backup was taken at, every table is loaded and checked against the backup's row
 * counts, and the sequences are set; a damaged file or any error leaves the target as it was. Newer
 * migrations are applied afterwards. Every restored paper stays queued for the search index.
 */
export async function restoreDatabase(url: string, file: string, options: { force?: boolean } = {}): Promise<RestoreReport> {
  const frames = readFrames(file);
  const first = await frames.next().catch((error: unknown) => {
    if (error instanceof BackupError && /incorrect header check/.test(error.message)) throw new BackupError(`${file} is not a Trending Papers backup (made by npm run backup).`);
    throw error;
  });
  let header: Header | undefined;
  let migrations: ReturnType<typeof listMigrations>;
  const client = new pg.Client({ connectionString: url });
  try {
    header = first.done || first.value.type !== "H" ? undefined : parseJson<Header>(file, first.value.payload);
    if (header?.format !== FORMAT) throw new BackupError(`${file} is not a Trending Papers backup (made by npm run backup).`);
    if (header.version !== VERSION) throw new BackupError(`${file} is a backup of format ${header.version}; this version reads format ${VERSION}.`);
    migrations = migrationsOf(header);
    // As every connection does: the target has the bookkeeping table, and a concurrent start sees a migrated database.
    await migrate(url);
    await client.connect();
  } catch (error) {
    await frames.return(undefined).catch(() => undefined);
    throw error;
  }
  let copying: ReturnType<typeof copyFrom> | undefined;
  try {
    await client.query(SESSION);
    const replaced = await contents(client);
    if (Object.keys(replaced).length > 0 && !options.force) {
      const held = Object.entries(replaced).map(([table, n]) => `${table} ${n}`).join(", ");
      throw new BackupError(`The target database is not empty (${held}); restore into an empty database, or pass --force to replace what it holds.`);
    }
    const others = await otherConnections(client);
    if (others > 0) throw new BackupError(`${others} other connections are open to the target database; stop npm start, the web server and the worker first.`);

    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await dropSchema(client);
    for (const migration of migrations) await client.query(migration.sql);
    const rows: Record<string, number> = {};
    let table: TableSpec | undefined;
    let done: Promise<void> | undefined;
    let trailer: { rows: Record<string, number> } | undefined;
    for await (const { type, payload } of frames) {
      if (trailer) throw new BackupError(`${file} is damaged (data after its end).`);
      if (type === "T") {
        table = parseJson<TableSpec>(file, payload);
        copying = client.query(copyFrom(`COPY public.${quote(table.name)} (${table.columns.map(quote).join(", ")}) FROM STDIN`));
        done = finished(copying);
        done.catch(() => undefined);
      } else if (type === "D" && copying && done) {
        if (!copying.write(payload)) await Promise.race([once(copying, "drain"), done]);
      } else if (type === "E" && table && copying && done) {
        copying.end();
        await done;
        const expected = parseJson<{ rows: number }>(file, payload).rows;
        if (copying.rowCount !== expected) throw new BackupError(`${file} is damaged: ${table.name} has ${copying.rowCount} rows, the backup says ${expected}.`);
        rows[table.name] = expected;
        copying = undefined;
      } else if (type === "Z") {
        trailer = parseJson<{ rows: Record<string, number> }>(file, payload);
      } else {
        throw new BackupError(`${file} is damaged (an unexpected record).`);
      }
    }
    if (!trailer) throw new BackupError(`${file} is cut short (no end record); nothing was restored from it.`);
    for (const sequence of header.sequences) {
      await client.query(`SELECT setval($1, $2::bigint, $3)`, [`public.${quote(sequence.name)}`, sequence.value, sequence.called]);
    }
    await client.query("COMMIT");
    const migrated = await migrate(url);
    return { file, createdAt: header.createdAt, rows, replaced, migrated };
  } catch (error) {
    // A COPY in progress is failed first (CopyFail), so the rollback can run on this connection.
    copying?.destroy();
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await frames.return(undefined).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** "12 papers, 3 subscribers, …": what a backup or a restore holds, the tables people ask about first. */
export function describeRows(rows: Record<string, number>): string {
  const named: [string, string][] = [
    ["paper", "papers"],
    ["subscriber", "subscribers"],
    ["digest", "digests"],
    ["digest_edition", "digest editions"],
    ["delivery", "deliveries"],
    ["vote", "votes"],
    ["person", "people"],
    ["session", "sessions"],
  ];
  const main = named.map(([table, label]) => `${rows[table] ?? 0} ${label}`);
  const rest = Object.entries(rows).filter(([table]) => !named.some(([name]) => name === table) && table !== BOOKKEEPING);
  const other = rest.reduce((sum, [, n]) => sum + n, 0);
  return `${main.join(", ")}; ${other} rows in ${rest.length} other tables`;
}
