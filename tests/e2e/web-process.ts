// Another web process on the browser tests' services, as `npm start` runs one (scripts/web.ts), on
// a free port: for tests that need a process of their own (its memory) or two processes sharing one
// database (the page cache). Not a spec file, so Playwright does not run it.
import { spawn } from "node:child_process";
import net from "node:net";
import { e2eServices, servicesEnv } from "./services";
import { webServerArgs } from "@/scripts/web-command";

export type WebProcess = { port: number; pid: number; url: string; stop(): Promise<void> };

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Started (with `env` on top of the tests' own) and warmed up: a page and a refused body, so the routes' code is loaded before anything is measured. */
export async function startWebProcess(env: Record<string, string> = {}): Promise<WebProcess> {
  const services = e2eServices();
  const port = await freePort();
  const child = spawn(process.execPath, webServerArgs(), {
    env: { ...servicesEnv(), MEILI_SEARCH_KEY: services.meiliSearchKey, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: "ignore",
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  for (let tries = 0; tries < 300; tries++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/subscribe`);
      await response.arrayBuffer();
      await fetch(`http://127.0.0.1:${port}/api/subscribe`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      return { port, pid: child.pid!, url: `http://127.0.0.1:${port}`, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await stop();
  throw new Error("the web server did not start");
}
