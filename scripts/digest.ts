// npm run digest -- [--date YYYY-MM-DD] [--dry-run] [--only EMAIL]: build (and send) one day's digest by hand.
import { parseArgs } from "node:util";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb } from "@/lib/db/client";
import { DigestInputError, describeRun, runDigest } from "@/lib/digest/run";
import { connectMail } from "@/lib/mail/connect";
import { closeMailTransport } from "@/lib/mail/transport";
import { runCli } from "./cli";

async function main(): Promise<number> {
  let args;
  try {
    ({ values: args } = parseArgs({
      args: process.argv.slice(2).filter((arg) => arg !== "--"),
      options: { date: { type: "string" }, "dry-run": { type: "boolean", default: false }, only: { type: "string" } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run digest -- [--date YYYY-MM-DD] [--dry-run] [--only EMAIL]`);
    return 2;
  }
  const log = (message: string) => console.error(message);
  const database = await connectDatabase({ log });
  const mail = args["dry-run"] ? undefined : await connectMail({ log });
  try {
    const result = await runDigest({ date: args.date, dryRun: args["dry-run"], only: args.only, log });
    console.log(describeRun(result));
    if (mail?.catcher && result.outcome === "sent") console.log(`Read it in the local inbox: ${mail.catcher.webUrl}`);
    return result.outcome === "sent" && (result.report.failed > 0 || result.report.pending > 0) ? 1 : 0;
  } catch (error) {
    if (error instanceof DigestInputError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    closeMailTransport();
    await closeDb();
    await mail?.catcher?.stop();
    await database.embedded?.stop();
  }
}

runCli(main);
