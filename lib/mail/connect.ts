// Resolves where mail goes for scripts: SMTP_URL when set, else the local mail catcher (started or reused).
import path from "node:path";
import { env } from "@/lib/env";
import { startMailCatcher, type MailCatcher } from "@/lib/services/mail-catcher";
import { setSmtpUrl } from "./transport";

export type MailConnection = { smtpUrl: string; catcher: MailCatcher | undefined };

export async function connectMail(options: { log?: (message: string) => void } = {}): Promise<MailConnection> {
  if (env.SMTP_URL) return { smtpUrl: env.SMTP_URL, catcher: undefined };
  const catcher = await startMailCatcher({
    dataDir: path.join(env.DATA_DIR, "mail"),
    smtpPort: env.EMBEDDED_SMTP_PORT,
    webPort: env.EMBEDDED_MAIL_WEB_PORT,
    log: options.log,
  });
  setSmtpUrl(catcher.smtpUrl);
  return { smtpUrl: catcher.smtpUrl, catcher };
}
