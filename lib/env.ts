// The only reader of process.env: every setting, validated once on first use, with the variable named on error.
import ipaddr from "ipaddr.js";
import { z } from "zod";
/** Loopback and private ranges: where a reverse proxy usually sits (the default of TRUSTED_PROXY_NETWORKS, read in lib/http/client-address.ts). */
export const DEFAULT_PROXY_NETWORKS = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", "fe80::/10"];

function isCidr(range: string): boolean {
  try {
    ipaddr.parseCIDR(range);
    return true;
  } catch {
    return false;
  }
}

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .pipe(z.url().optional())
  .optional();

const timeZone = z
    .string()
    .trim()
    .default("UTC")
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, "must be an IANA time zone such as UTC or Europe/Berlin");

/** A comma-separated list, trimmed, empty entries dropped. */
const commaList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Postgres to use; unset means the embedded one under DATA_DIR. */
  DATABASE_URL: optionalUrl,
  /** Where embedded services keep their data and state. */
  DATA_DIR: z.string().min(1).default(".data"),
  /** Port of the web server. */
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** Address the web server listens on (unset: every interface). */
  HOST: z.string().trim().min(1).optional(),
  /** Public base URL; links in emails and feeds are built from it, never from the Host header. Unset: http://localhost:$PORT. */
  APP_URL: z.url().optional(),
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
  /** After Meilisearch fails or times out, how long searches go straight to Postgres before one probes it again (0: never skip it). */
  SEARCH_BREAKER_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Port the embedded Meilisearch prefers. */
  EMBEDDED_MEILI_PORT: z.coerce.number().int().min(1).max(65_535).default(7700),
  /** SMTP relay for all mail (smtp:// or smtps:// URL with credentials); unset means the local mail catcher. */
  SMTP_URL: optionalUrl,
  /** Sender of every mail. */
  MAIL_FROM: z.string().trim().min(3).default("Trending Papers <digest@localhost>"),
  /** Port of the local mail catcher's SMTP server and of its web inbox (when SMTP_URL is unset). */
  EMBEDDED_SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(1025),
  EMBEDDED_MAIL_WEB_PORT: z.coerce.number().int().min(1).max(65_535).default(1080),
  /** Signs confirmation and unsubscribe links; unset means one generated once under DATA_DIR. */
  TOKEN_SECRET: z.string().trim().min(32, "must be at least 32 characters").optional().or(z.literal("").transform(() => undefined)),
  /** When the daily digest is built and sent (cron, minute resolution) and in which time zone. */
  DIGEST_CRON: z.string().trim().min(9).default("0 7 * * *"),
  DIGEST_TZ: timeZone,
  /** Papers in a digest. */
  DIGEST_SIZE: z.coerce.number().int().min(1).max(50).default(10),
  /** SMTP connections a digest send keeps open (and mails in flight). */
  DIGEST_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(5),
  /** Attempts per delivery before a temporary failure counts as permanent, and the first retry's delay (doubling). */
  DIGEST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  DIGEST_RETRY_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  /** While the SMTP relay is unreachable (no reply, or 421), every sender pauses: DIGEST_RETRY_MS first, doubling up to this. */
  DIGEST_PAUSE_MAX_MS: z.coerce.number().int().min(10).max(24 * 3_600_000).default(900_000),
  /** Optional DKIM signing of every mail: the signing domain, selector and private key (PEM, or a path to it). */
  DKIM_DOMAIN: z.string().trim().optional(),
  DKIM_SELECTOR: z.string().trim().optional(),
  DKIM_PRIVATE_KEY: z.string().trim().optional(),
  /** Reverse proxies in front of the web server: how many, and the networks they may sit in (a hop outside them is the client). */
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  TRUSTED_PROXY_NETWORKS: commaList
    .pipe(z.array(z.string().refine((range) => ipaddr.isValid(range.split("/")[0] ?? "") && (!range.includes("/") || isCidr(range)), "CIDR ranges such as 10.0.0.0/8 or 2001:db8::/32")))
    .default(DEFAULT_PROXY_NETWORKS),
  /** Live sources the daily harvest fetches: any of hf-daily, arxiv-oai (empty: none). */
  INGEST_SOURCES: commaList.pipe(z.array(z.enum(["hf-daily", "arxiv-oai"]))).default(["hf-daily", "arxiv-oai"]),
  /** When the harvest runs: after arXiv's announcement (20:00 US Eastern) and before the digest. */
  HARVEST_CRON: z.string().trim().min(9).default("0 2 * * *"),
  HARVEST_TZ: timeZone,
  /** Days fetched back on a source's first harvest, and days of Hugging Face papers fetched again for votes. */
  HARVEST_BACKFILL_DAYS: z.coerce.number().int().min(1).max(365).default(3),
  HF_REFRESH_DAYS: z.coerce.number().int().min(0).max(30).default(3),
  /** /api/health calls a source late when its last good harvest is older than this. */
  HARVEST_LATE_HOURS: z.coerce.number().min(1).max(24 * 30).default(36),
  /** arXiv's OAI-PMH endpoint, metadata format, sets (empty: all of arXiv) and categories kept (empty: all). */
  ARXIV_OAI_URL: z.url().default("https://oaipmh.arxiv.org/oai"),
  ARXIV_OAI_FORMAT: z.enum(["arXiv", "arXivRaw"]).default("arXiv"),
  ARXIV_SETS: commaList.pipe(z.array(z.string().regex(/^[a-z-]+(:[A-Za-z-]+)*$/, "OAI set specs such as cs or physics:hep-th"))).default(["cs"]),
  ARXIV_CATEGORIES: commaList.pipe(z.array(z.string().regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, "categories such as cs.LG"))).default([]),
  /** arXiv's API (Atom) for single papers and queries. */
  ARXIV_API_URL: z.url().default("https://export.arxiv.org/api/query"),
  /** Hugging Face's daily papers API. */
  HF_DAILY_URL: z.url().default("https://huggingface.co/api/daily_papers"),
  /** Least time between the starts of two requests to arXiv (all processes together) and to Hugging Face. */
  ARXIV_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(3_000),
  HF_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  /** Per request: time allowed, retries after errors (first wait, doubling), and the longest Retry-After honoured. */
  FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  FETCH_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
  FETCH_RETRY_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  FETCH_MAX_RETRY_AFTER_MS: z.coerce.number().int().min(0).max(24 * 3_600_000).default(600_000),
  /** Contact address sent in the User-Agent of every request (arXiv asks for one); defaults to MAIL_FROM's. */
  CONTACT_EMAIL: z.email().optional().or(z.literal("").transform(() => undefined)),
  /**
   * Anonymous voting, for a private instance: a visitor cookie (set by a page, never by a vote)
   * counts as a voter. Off by default: votes belong to signed-in people.
   */
  VOTES_ANONYMOUS: z.stringbool({ truthy: ["true", "1", "yes", "on"], falsy: ["false", "0", "no", "off", ""] }).default(false),
  /** Votes (cast or removed) one voter (person or visitor), and one IP, may send per hour. */
  VOTE_LIMIT_VISITOR: z.coerce.number().int().min(1).max(100_000).default(120),
  VOTE_LIMIT_IP: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Requests to the public GET API and feeds one IP may send per minute. */
  API_LIMIT_IP: z.coerce.number().int().min(1).max(1_000_000).default(300),
  /**
   * Requests for confirmation and sign-in mails one client IP may make per hour. Raise it for a lab
   * or a company whose readers all reach the site from one address (a NAT, a proxy).
   */
  MAIL_LIMIT_IP: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Confirmation and sign-in mails the site sends per hour in all (a cap against mail floods). */
  MAIL_LIMIT_HOURLY: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /**
   * Memory each web process gives its page cache (trending windows, paper pages, feeds, digests),
   * in MB; 0 turns it off. Changes reach every web process's cache through Postgres NOTIFY.
   */
  PAGE_CACHE_MB: z.coerce.number().int().min(0).max(16_384).default(64),
  /**
   * The web process's V8 heap limit in MB (--max-old-space-size). Under load V8 lets garbage pile
   * up to whatever room it has; a limit keeps the process small. 0: Node's default.
   */
  WEB_HEAP_MB: z.coerce.number().int().min(0).max(65_536).default(256),
  /** Papers shown per page of trending. */
  TRENDING_PAGE_SIZE: z.coerce.number().int().min(1).max(100).default(30),
  /**
   * GET /metrics (Prometheus text format) answers a request that carries this bearer token; unset,
   * only requests from loopback (a scraper on the same host) get it. Not for the public.
   */
  METRICS_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
  /** Where the worker serves its own /metrics (loopback only); 0: the worker serves none. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  /** text (readable lines) or json (one JSON object per line, with a request id). */
  LOG_FORMAT: z.enum(["text", "json"]).default("text"),
  /** Feedback-ID header value for digest mails (Gmail's feedback loop), e.g. "digest:trending-papers:example"; unset: none. */
  MAIL_FEEDBACK_ID: z.string().trim().max(200).optional(),
  /** Where npm run backup writes its dumps; unset: $DATA_DIR/backups. */
  BACKUP_DIR: z.string().trim().optional(),
});

const dkimComplete = (value: z.infer<typeof schema>) => [value.DKIM_DOMAIN, value.DKIM_SELECTOR, value.DKIM_PRIVATE_KEY].filter(Boolean).length;
const checked = schema
  .refine((value) => dkimComplete(value) === 0 || dkimComplete(value) === 3, {
    path: ["DKIM_DOMAIN"],
    message: "set DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY together, or none of them",
  })
  // The site on this machine, at the port it listens on, until a public address is set.
  .transform((value) => ({ ...value, APP_URL: value.APP_URL ?? `http://localhost:${value.PORT}` }));

export type Env = z.output<typeof checked>;

/** The name of every setting (.env.example lists them all; a test keeps the two in step). */
export const ENV_VARIABLES = Object.keys(schema.shape) as (keyof Env)[];

/** Configuration that does not validate: each bad variable with what is wrong with it. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map(({ variable, message }) => `  ${variable}: ${message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = checked.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => ({ variable: issue.path.join("."), message: issue.message })));
  }
  return result.data;
}

let parsed: Env | undefined;

/** process.env, validated on first use (not at import, so importing a module never fails) and kept. */
function current(): Env {
  return (parsed ??= parseEnv(process.env));
}

// Reading any setting parses the whole environment once; a bad one throws ConfigError there, and the
// caller (a CLI's shell, Next's error handling) decides what that means for the process.
export const env: Env = new Proxy({} as Env, {
  get: (_, key) => Reflect.get(current(), key),
  has: (_, key) => Reflect.has(current(), key),
  ownKeys: () => Reflect.ownKeys(current()),
  getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(current(), key),
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
});

/** Forgets the parsed configuration, so the next read parses process.env again (tests that change it). */
export function reloadEnv(): void {
  parsed = undefined;
}

/** The live sources INGEST_SOURCES names, each with its scopes: one per OAI set (ARXIV_SETS) for arxiv-oai, "" for a source without. */
export function harvestScopes(): { source: Env["INGEST_SOURCES"][number]; scope: string }[] {
  return env.INGEST_SOURCES.flatMap((source) => (source === "arxiv-oai" && env.ARXIV_SETS.length ? env.ARXIV_SETS : [""]).map((scope) => ({ source, scope })));
}
