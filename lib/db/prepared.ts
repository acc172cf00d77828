// Named prepared statements: Postgres parses and plans a statement once per connection instead of
// on every call, which for a short, frequent statement costs more than running it.
import { createHash } from "node:crypto";

const names = new Map<string, string>();

/**
 * The statement name for this SQL, `<prefix>-<hash of the SQL>`. The pool is shared by every copy of
 * a module a build holds, and on one connection a name must never stand for two texts.
 */
export function preparedName(prefix: string, sql: string): string {
  const key = `${prefix}\u0000${sql}`;
  let name = names.get(key);
  if (!name) {
    name = `${prefix}-${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
    names.set(key, name);
  }
  return name;
}
