// The worker's /metrics, on 127.0.0.1 only (WORKER_METRICS_PORT): jobs by queue, mails, harvests
// and search syncs (lib/metrics/events.ts), and Node's own metrics.
import http from "node:http";
import { listen } from "@/lib/http/web-server";
import { answerMetrics, createRegistry } from "./registry";

export async function serveWorkerMetrics(port: number): Promise<{ port: number; stop(): Promise<void> }> {
  const registry = createRegistry();
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?", 1)[0];
    if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("Not Found");
      return;
    }
    answerMetrics(registry, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      response.end(`metrics failed: ${(error as Error).message}`);
    });
  });
  const address = await listen(server, port, "127.0.0.1");
  return {
    port: address.port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
