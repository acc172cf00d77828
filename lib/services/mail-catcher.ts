// The local mail catcher for a fresh machine (SMTP_URL unset): MailDev on loopback, SMTP for the
// app and a web inbox for people, mails kept under DATA_DIR.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
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

function readState(file: string): { smtpPort: number; webPort: number } | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as { smtpPort?: unknown; webPort?: unknown };
    return typeof state.smtpPort === "number" && typeof state.webPort === "number" ? { smtpPort: state.smtpPort, webPort: state.webPort } : undefined;
  } catch {
    return undefined;
  }
}

/** Starts MailDev, or reuses the one another process (npm start) runs on the same data folder. */
export async function startMailCatcher(options: { dataDir: string; smtpPort: number; webPort: number; log?: (message: string) => void }): Promise<MailCatcher> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stateFile = path.join(dataDir, "maildev.json");
  const previous = readState(stateFile);
  if (previous && (await accepts(previous.smtpPort)) && (await accepts(previous.webPort))) {
    return { smtpUrl: `smtp://127.0.0.1:${previous.smtpPort}`, webUrl: `http://127.0.0.1:${previous.webPort}/`, owned: false, stop: async () => undefined };
  }
  const smtpPort = await freePort(options.smtpPort);
  const webPort = await freePort(options.webPort);
  const child = spawn(
    process.execPath,
    [MAILDEV_BIN, "--smtp", String(smtpPort), "--ip", "127.0.0.1", "--web", String(webPort), "--web-ip", "127.0.0.1", "--mail-directory", path.join(dataDir, "inbox"), "--max-emails", "500", "--silent"],
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
