// A local HTTP server standing in for arXiv and Hugging Face: each test scripts its answers and
// reads back what was asked, when, and with which headers.
import http from "node:http";

export type SourceRequest = { url: URL; at: number; userAgent: string };

export type Answer =
  | { status?: number; headers?: Record<string, string>; body: string }
  /** Send the headers and half the body, then cut the connection. */
  | { truncate: string }
  /** Never answer. */
  | { hang: true };

export type HttpSource = {
  url: string;
  requests: SourceRequest[];
  /** Answers the n-th request (1-based, counted across paths). */
  answer: (request: SourceRequest, n: number) => Answer | Promise<Answer>;
  reset(): void;
  close(): Promise<void>;
};

export async function startHttpSource(): Promise<HttpSource> {
  const sockets = new Set<import("node:net").Socket>();
  const state: HttpSource = {
    url: "",
    requests: [],
    answer: () => ({ status: 404, body: "no answer scripted" }),
    reset() {
      state.requests = [];
      state.answer = () => ({ status: 404, body: "no answer scripted" });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer(async (req, res) => {
    const request: SourceRequest = { url: new URL(req.url ?? "/", state.url), at: performance.now(), userAgent: req.headers["user-agent"] ?? "" };
    state.requests.push(request);
    const answer = await state.answer(request, state.requests.length);
    if ("hang" in answer) return;
    if ("truncate" in answer) {
      const bytes = Buffer.from(answer.truncate);
      res.writeHead(200, { "content-type": "application/xml", "content-length": String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    res.writeHead(answer.status ?? 200, { "content-type": "application/xml; charset=utf-8", ...answer.headers });
    res.end(answer.body);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  state.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return state;
}

/** Gaps in ms between the starts of consecutive requests. */
export function gaps(requests: SourceRequest[]): number[] {
  return requests.slice(1).map((request, index) => request.at - requests[index]!.at);
}
