// A comparable description of a database's schema (tables, columns, indexes, constraints), for drift checks.
import pg from "pg";

export async function describeSchema(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{ line: string }>(`
      SELECT format('column %s.%s %s null=%s default=%s', c.table_name, c.column_name,
        format_type(a.atttypid, a.atttypmod), c.is_nullable, coalesce(c.column_default, '-')) AS line
      FROM information_schema.columns c
      JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
      WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'`);
    const indexes = await client.query<{ line: string }>(`
      SELECT format('index %s', indexdef) AS line FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    const constraints = await client.query<{ line: string }>(`
      SELECT format('constraint %s.%s %s', rel.relname, con.conname, pg_get_constraintdef(con.oid)) AS line
      FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
      JOIN pg_namespace ns ON ns.oid = rel.relnamespace
      WHERE ns.nspname = 'public' AND rel.relname <> '_prisma_migrations'`);
    const extensions = await client.query<{ line: string }>(`SELECT format('extension %s', extname) AS line FROM pg_extension`);
    return [...columns.rows, ...indexes.rows, ...constraints.rows, ...extensions.rows].map((row) => row.line).sort();
  } finally {
    await client.end();
  }
}
