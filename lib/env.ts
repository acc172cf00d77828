// The only reader of process.env: every setting, validated once, with the variable named on error.
import { z } from "zod";

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .pipe(z.url().optional())
  .optional();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Postgres to use; unset means the embedded one under DATA_DIR. */
  DATABASE_URL: optionalUrl,
  /** Where embedded services keep their data and state. */
  DATA_DIR: z.string().min(1).default(".data"),
  /** Port of the web server. */
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** Public base URL; links in emails and feeds are built from it, never from the Host header. */
  APP_URL: z.url().default("http://localhost:3000"),
  /** Port the embedded Postgres prefers (a free one is picked when taken). */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65_535).default(54329),
  /** Rows per bulk upsert statement during ingest. */
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(2_000),
  /** Meilisearch to use; unset means the embedded one under DATA_DIR. */
  MEILI_URL: optionalUrl,
  /** Its master key (used only to create scoped admin and search keys) or an admin key. */
  MEILI_MASTER_KEY: z.string().trim().min(16, "must be at least 16 characters").optional().or(z.literal("").transform(() => undefined)),
  /** A search-only key; when set, searches use it instead of deriving one from MEILI_MASTER_KEY. */
  MEILI_SEARCH_KEY: z.string().trim().optional(),
  /** Name of the papers index (a rebuild uses `<name>_next` and swaps). */
  MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "letters, digits, - and _ only").default("papers"),
  /** How long a search waits for Meilisearch before answering from Postgres. */
  SEARCH_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1_500),
  /** Port the embedded Meilisearch prefers. */
  EMBEDDED_MEILI_PORT: z.coerce.number().int().min(1).max(65_535).default(7700),
  /** Papers shown per page of trending. */
  TRENDING_PAGE_SIZE: z.coerce.number().int().min(1).max(100).default(30),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
  }
  return result.data;
}

function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

export const env: Env = loadEnv();
