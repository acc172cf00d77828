// The local mail catcher for a fresh machine (SMTP_URL unset): MailDev on loopback, SMTP for the
// app and a web inbox for people, mails kept under DATA_DIR.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { findProcesses, isRunning, withStartLock } from "./owner-lock";
import { freePort } from "./ports";

export type MailCatcher = { smtpUrl: string; webUrl: string; owned: boolean; stop(): Promise<void> };

const MAILDEV_BIN = path.join(process.cwd(), "node_modules", "maildev", "dist", "bin", "maildev.js");

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Whether an SMTP server on `port` greets within a second and a half (a stopped one still accepts the connection). */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), 1_500);
    socket.once("data", (chunk: Buffer) => done(chunk.toString("latin1").startsWith("220")));
    socket.once("error", () => done(false));
  });
}

function readState(file: string): { smtpPort: number; webPort: number } | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as { smtpPort?: unknown; webPort?: unknown };
    return typeof state.smtpPort === "number" && typeof state.webPort === "number" ? { smtpPort: state.smtpPort, webPort: state.webPort } : undefined;
  } catch {
    return undefined;
  }
}

/** The MailDev processes serving this inbox folder (its command line names it). */
function inboxOwners(inbox: string) {
  return findProcesses((args) => args.some((arg) => arg.endsWith("maildev.js")) && args.includes(inbox)).filter(isRunning);
}

/**
 * Starts MailDev, or reuses the one another process (npm start) runs on the same data folder. One
 * MailDev per inbox folder: a live one that does not answer is reported and left alone (mail then
 * waits in the digest's deliveries), and never doubled; a dead one's record is replaced.
 */
export async function startMailCatcher(options: { dataDir: string; smtpPort: number; webPort: number; log?: (message: string) => void }): Promise<MailCatcher> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return withStartLock(path.join(dataDir, "maildev.lock"), () => startOrReuse(dataDir, options), { what: "Another process starting the mail catcher" });
}

async function startOrReuse(dataDir: string, options: { smtpPort: number; webPort: number; log?: (message: string) => void }): Promise<MailCatcher> {
  const stateFile = path.join(dataDir, "maildev.json");
  const inbox = path.join(dataDir, "inbox");
  const previous = readState(stateFile);
  if (previous && (await greets(previous.smtpPort)) && (await accepts(previous.webPort))) {
    return { smtpUrl: `smtp://127.0.0.1:${previous.smtpPort}`, webUrl: `http://127.0.0.1:${previous.webPort}/`, owned: false, stop: async () => undefined };
  }
  const owners = inboxOwners(inbox);
  if (owners.length > 0 && previous) {
    options.log?.(
      `Mail catcher on port ${previous.smtpPort} is not answering (pid ${owners[0]!.pid} owns ${inbox}, so no second one was started); mail waits and is sent when it answers.`,
    );
    return { smtpUrl: `smtp://127.0.0.1:${previous.smtpPort}`, webUrl: `http://127.0.0.1:${previous.webPort}/`, owned: false, stop: async () => undefined };
  }
  if (owners.length > 0) throw new Error(`MailDev (pid ${owners.map((owner) => owner.pid).join(", ")}) serves ${inbox} but left no record of its ports: stop it, then start again.`);
  const smtpPort = await freePort(options.smtpPort);
  const webPort = await freePort(options.webPort);
  const child = spawn(
    process.execPath,
    [MAILDEV_BIN, "--smtp", String(smtpPort), "--ip", "127.0.0.1", "--web", String(webPort), "--web-ip", "127.0.0.1", "--mail-directory", inbox, "--max-emails", "500", "--silent"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
  const deadline = Date.now() + 20_000;
  while (!(await accepts(smtpPort)) || !(await accepts(webPort))) {
    if (child.exitCode !== null) throw new Error(`MailDev exited (code ${child.exitCode}):\n${errors}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`MailDev did not listen on ports ${smtpPort}/${webPort} within 20 s:\n${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fs.writeFileSync(stateFile, JSON.stringify({ smtpPort, webPort }), { mode: 0o600 });
  options.log?.(`Mail catcher: SMTP on 127.0.0.1:${smtpPort}, inbox at http://127.0.0.1:${webPort}/`);
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl: `http://127.0.0.1:${webPort}/`,
    owned: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}
