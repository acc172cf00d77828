// npm run digest -- [--date YYYY-MM-DD] [--dry-run] [--only EMAIL]: build (and send) one day's digest by hand
// (without --date, after finishing earlier unfinished ones), then say what is still left unsent.
import { parseArgs } from "node:util";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb } from "@/lib/db/client";
import { describeDigestHealth, digestHealth } from "@/lib/digest/health";
import { DigestInputError, describeRun, runDigest, runLeftWork } from "@/lib/digest/run";
import { connectMail } from "@/lib/mail/connect";
import { closeMailTransport } from "@/lib/mail/transport";
import { runCli } from "./cli";

/** Whatever is still unsent, in every digest, whoever left it: never dropped silently. */
async function reportLeftBehind(print: (line: string) => void): Promise<void> {
  for (const line of describeDigestHealth(await digestHealth())) print(line);
}

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
    await reportLeftBehind(console.log);
    return runLeftWork(result) ? 1 : 0;
  } catch (error) {
    if (error instanceof DigestInputError) {
      console.error(error.message);
      return 2;
    }
    // The run stopped (e.g. its lock connection was lost): still say what is left for the next one.
    await reportLeftBehind(console.error).catch(() => undefined);
    throw error;
  } finally {
    closeMailTransport();
    await closeDb();
    await mail?.catcher?.stop();
    await database.embedded?.stop();
  }
}

runCli(main);
