// Loads the paper fields that go into search documents, from Postgres (the source of truth).
import type pg from "pg";
import type { DocumentRow } from "./document";

const INDEXED = `p.title, p.abstract, p.authors, p.categories, p.listed_at, p.published_at,
  p.source_upvotes + p.local_upvotes, p.github_repo, p.github_stars, p.project_page`;

// The checksum covers exactly the indexed fields, so reconcile can tell a stale document.
export const DOCUMENT_COLUMNS = `p.id AS "paperId", p.title, p.abstract, p.authors, p.categories,
  p.listed_at::text AS "listedDay", to_char(p.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "publishedAt",
  p.source_upvotes + p.local_upvotes AS votes, p.github_repo AS "githubRepo", p.github_stars AS "githubStars",
  p.project_page AS "projectPage", md5(row(${INDEXED})::text) AS checksum`;

export async function loadDocumentRows(pool: pg.Pool | pg.PoolClient, paperIds: string[]): Promise<DocumentRow[]> {
  const { rows } = await pool.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM paper p WHERE p.id = ANY($1::text[])`, [paperIds]);
  return rows;
}

/** Every paper, in id order, a page at a time (keyset pagination keeps memory flat). */
export async function* allDocumentRows(pool: pg.Pool, pageSize = 5_000): AsyncGenerator<DocumentRow[]> {
  let after = "";
  for (;;) {
    const { rows } = await pool.query<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM paper p WHERE p.id > $1 ORDER BY p.id LIMIT $2`,
      [after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.paperId;
  }
}

/** id -> checksum of every paper, for reconcile. */
export async function allChecksums(pool: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; checksum: string }>(`SELECT p.id, md5(row(${INDEXED})::text) AS checksum FROM paper p`);
  return new Map(rows.map((row) => [row.id, row.checksum]));
}
