// The categories papers carry, most used first, for the search page's category picker.
import { db } from "@/lib/db/client";

export async function listCategories(limit = 100): Promise<string[]> {
  const { rows } = await db.pool.query<{ category: string }>(
    `SELECT category FROM paper, unnest(categories) AS category GROUP BY category ORDER BY count(*) DESC, category LIMIT $1`,
    [limit],
  );
  return rows.map((row) => row.category);
}
