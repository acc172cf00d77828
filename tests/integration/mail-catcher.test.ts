// The local mail catcher: one MailDev per inbox folder. Real MailDev processes on a throwaway
// folder: healthy (reused), stopped with SIGSTOP (reported, never doubled), killed (replaced).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findProcesses, isRunning } from "@/lib/services/owner-lock";
import { startMailCatcher, type MailCatcher } from "@/lib/services/mail-catcher";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mail-catcher-it-"));
const owned: MailCatcher[] = [];
const paused: number[] = [];

/** The MailDev processes serving this folder's inbox, as the kernel lists them. */
const catchersOn = (dataDir: string) =>
  findProcesses((args) => args.some((arg) => arg.endsWith("maildev.js")) && args.includes(path.join(dataDir, "inbox"))).filter(isRunning).map((p) => p.pid);

async function start(dataDir: string, log?: (message: string) => void): Promise<MailCatcher> {
  const catcher = await startMailCatcher({ dataDir, smtpPort: 0, webPort: 0, log });
  if (catcher.owned) owned.push(catcher);
  return catcher;
}

afterAll(async () => {
  for (const pid of paused) process.kill(pid, "SIGCONT");
  await Promise.all(owned.map((catcher) => catcher.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the mail catcher", () => {
  it("is reused while it answers, reported and never doubled while it hangs, and replaced once it is dead", async () => {
    const dataDir = path.join(tmp, "mail");
    const first = await start(dataDir);
    expect(first.owned).toBe(true);
    const [pid] = catchersOn(dataDir);
    expect(pid).toBeDefined();

    const again = await start(dataDir);
    expect(again).toMatchObject({ owned: false, smtpUrl: first.smtpUrl });
    expect(catchersOn(dataDir)).toEqual([pid]);

    process.kill(pid!, "SIGSTOP");
    paused.push(pid!);
    const lines: string[] = [];
    const hung = await start(dataDir, (line) => lines.push(line));
    expect(hung).toMatchObject({ owned: false, smtpUrl: first.smtpUrl });
    expect(lines.join("\n")).toMatch(/is not answering \(pid \d+ owns .*inbox, so no second one was started\)/);
    expect(catchersOn(dataDir)).toEqual([pid]);

    process.kill(pid!, "SIGKILL");
    paused.splice(paused.indexOf(pid!), 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fresh = await start(dataDir);
    expect(fresh.owned).toBe(true);
    const now = catchersOn(dataDir);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(pid);
  }, 60_000);
});
