// Where serve.ts tells the browser tests how to reach its services (the database and the mail catcher).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const E2E_SERVICES_FILE = path.join(os.tmpdir(), "trending-papers-e2e-services.json");

export type E2eServices = { databaseUrl: string; smtpUrl: string; mailWebUrl: string; tokenSecret: string; appUrl: string; webPid?: number };

export function e2eServices(): E2eServices {
  return JSON.parse(fs.readFileSync(E2E_SERVICES_FILE, "utf8")) as E2eServices;
}

type MaildevMail = { id: string; subject: string; to: { address: string }[]; html?: string; text?: string };

/** Mails MailDev holds for an address, newest last. */
export async function mailsTo(address: string): Promise<MaildevMail[]> {
  const response = await fetch(new URL("/api/email", e2eServices().mailWebUrl));
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  const mails = (await response.json()) as MaildevMail[];
  return mails.filter((mail) => mail.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
}
