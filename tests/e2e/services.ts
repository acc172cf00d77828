// Where serve.ts tells the browser tests how to reach its services (the database and the mail catcher).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const E2E_SERVICES_FILE = path.join(os.tmpdir(), "trending-papers-e2e-services.json");

export type E2eServices = {
  databaseUrl: string;
  smtpUrl: string;
  mailWebUrl: string;
  tokenSecret: string;
  appUrl: string;
  /** What a second web process needs to serve the same site (the cache test starts one). */
  meiliUrl: string;
  meiliSearchKey: string;
  /** For the reindex CLI the cache test runs. */
  meiliMasterKey: string;
  meiliIndex: string;
  webPid?: number;
};

export function e2eServices(): E2eServices {
  return JSON.parse(fs.readFileSync(E2E_SERVICES_FILE, "utf8")) as E2eServices;
}

/** The environment a child process (a second web server, a CLI) needs to work on the browser tests' services. */
export function servicesEnv(): NodeJS.ProcessEnv {
  const services = e2eServices();
  return {
    ...process.env,
    DATABASE_URL: services.databaseUrl,
    SMTP_URL: services.smtpUrl,
    TOKEN_SECRET: services.tokenSecret,
    APP_URL: services.appUrl,
    MEILI_URL: services.meiliUrl,
    MEILI_INDEX: services.meiliIndex,
  };
}

type MaildevMail = { id: string; subject: string; to: { address: string }[]; html?: string; text?: string };

/** Mails MailDev holds for an address, newest last. */
export async function mailsTo(address: string): Promise<MaildevMail[]> {
  const response = await fetch(new URL("/api/email", e2eServices().mailWebUrl));
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  const mails = (await response.json()) as MaildevMail[];
  return mails.filter((mail) => mail.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
}

/** A signed-in session for `email`, made in the database as confirming a link would: its cookie's token. */
export async function sessionFor(email: string): Promise<string> {
  const { default: pg } = await import("pg");
  const { createHash, randomBytes } = await import("node:crypto");
  const client = new pg.Client({ connectionString: e2eServices().databaseUrl });
  await client.connect();
  try {
    const token = randomBytes(32).toString("base64url");
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO person (email, mailbox_key) VALUES ($1, $2) ON CONFLICT (mailbox_key) DO UPDATE SET verified_at = now() RETURNING id::text`,
      [email, createHash("sha256").update(email.toLowerCase()).digest("base64url")],
    );
    await client.query(`INSERT INTO session (token_hash, person_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [
      createHash("sha256").update(token).digest("base64url"),
      rows[0]!.id,
    ]);
    return token;
  } finally {
    await client.end();
  }
}
