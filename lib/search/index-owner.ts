// Which database a search index belongs to: the database's identity, recorded beside the index and checked before every write.
import type pg from "pg";
import { readIndexOwner, writeIndexOwner, type EngineConfig, type IndexOwnerRecord } from "./meilisearch";

/**
 * A database as Postgres tells it apart: its cluster's system identifier (made by initdb, so a
 * backup restored into another cluster is another database, whose index is rebuilt) and its name.
 */
export type DatabaseIdentity = { cluster: string | null; database: string };

export class IndexOwnerError extends Error {}

const identities = new WeakMap<pg.Pool, Promise<DatabaseIdentity>>();

async function readIdentity(pool: pg.Pool): Promise<DatabaseIdentity> {
  const { rows } = await pool.query<{ database: string }>("SELECT current_database() AS database");
  const database = rows[0]!.database;
  try {
    const control = await pool.query<{ cluster: string }>("SELECT system_identifier::text AS cluster FROM pg_control_system()");
    return { cluster: control.rows[0]?.cluster ?? null, database };
  } catch {
    // A managed Postgres may deny pg_control_system(); the name alone still tells this checkout's databases apart.
    return { cluster: null, database };
  }
}

export function databaseIdentity(pool: pg.Pool): Promise<DatabaseIdentity> {
  let identity = identities.get(pool);
  if (!identity) {
    identity = readIdentity(pool);
    identities.set(pool, identity);
    identity.catch(() => identities.delete(pool));
  }
  return identity;
}

function sameDatabase(owner: IndexOwnerRecord, identity: DatabaseIdentity): boolean {
  return owner.database === identity.database && (owner.cluster === null || identity.cluster === null || owner.cluster === identity.cluster);
}

function describe(identity: DatabaseIdentity): string {
  return `database "${identity.database}" of Postgres cluster ${identity.cluster ?? "(identifier not readable)"}`;
}

/**
 * Makes sure `engine`'s index belongs to the database behind `pool` before anything writes to it:
 * an index no one claimed yet is claimed; one claimed by another database is refused, unless
 * `takeOver` (a reindex on purpose, which rebuilds it from this database) claims it anyway.
 */
export async function claimIndex(pool: pg.Pool, engine: EngineConfig, options: { takeOver?: boolean } = {}): Promise<void> {
  const identity = await databaseIdentity(pool);
  const owner = await readIndexOwner(engine);
  if (owner && sameDatabase(owner, identity)) return;
  if (owner && !options.takeOver) throw foreign(engine, owner, identity);
  await writeIndexOwner(engine, { ...identity, claimedAt: new Date().toISOString() });
  // Two databases claiming a new index at once: the later write wins, and the other one stops here.
  const now = await readIndexOwner(engine);
  if (now && sameDatabase(now, identity)) return;
  if (now) throw foreign(engine, now, identity);
  throw new IndexOwnerError(`The owner of the search index "${engine.index}" at ${engine.url} could not be recorded; nothing was written to it.`);
}

function foreign(engine: EngineConfig, owner: IndexOwnerRecord, identity: DatabaseIdentity): IndexOwnerError {
  return new IndexOwnerError(
    `The search index "${engine.index}" at ${engine.url} holds the papers of another database (${describe(owner)}, since ${owner.claimedAt}), ` +
      `not of this one (${describe(identity)}); nothing was written to it. Give this database its own index with MEILI_INDEX, ` +
      `or, to replace that index with this database's papers, run npm run search:reindex -- --take-over.`,
  );
}
