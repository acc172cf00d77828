// The attacks a public instance meets, against the production server as npm start runs it: a vote
// loop with forged client addresses, a huge request body, a flood of plus-addresses, and a mail
// scanner opening a confirmation link. No browser needed: these are what a script does.
import fs from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eServices, mailsTo } from "./services";
import { startWebProcess } from "./web-process";

const PAPER = "2606.14777";

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function votesOf(request: import("@playwright/test").APIRequestContext): Promise<number> {
  const response = await request.get(`/api/papers/${PAPER}`);
  return ((await response.json()) as { votes: number }).votes;
}

/** POSTs a 400 MB body (declared, or chunked), stopping as soon as the server answers; the status. */
function postHuge(port: number, path: string, declareLength: boolean): Promise<{ status: number; sent: number }> {
  const total = 400 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(
      { host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json", ...(declareLength ? { "content-length": String(total) } : {}) } },
      (response) => {
        answered = true;
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, sent }));
      },
    );
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

test("a cookie-less vote loop with rotating X-Forwarded-For adds no vote", async ({ request }) => {
  const before = await votesOf(request);
  const statuses = new Set<number>();
  for (let index = 0; index < 30; index++) {
    const response = await request.post("/api/votes", {
      data: { paperId: PAPER },
      headers: { "x-forwarded-for": `203.0.113.${index}`, "x-real-ip": `203.0.113.${index}`, "x-trending-papers-client": `198.51.100.${index}` },
    });
    statuses.add(response.status());
    expect(response.headers()["set-cookie"]).toBeUndefined();
  }
  expect([...statuses]).toEqual([401]);
  expect(await votesOf(request)).toBe(before);
});

test("a 400 MB body gets 413 and the server's memory barely moves", async () => {
  test.setTimeout(90_000);
  // A web server of its own (the same scripts/web.ts, on the same database), so its memory is this
  // test's alone and not the pages other tests load meanwhile.
  const server = await startWebProcess();
  try {
    const before = rssBytes(server.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(server.pid))), 5);
    try {
      const declared = await postHuge(server.port, "/api/subscribe", true);
      expect(declared.status).toBe(413);
      const chunked = await postHuge(server.port, "/api/subscribe", false);
      expect(chunked.status).toBe(413);
      // It stopped reading long before the end.
      expect(chunked.sent).toBeLessThan(50 * 1024 * 1024);
    } finally {
      clearInterval(sampler);
    }
    expect(peak - before, `RSS grew from ${before} to a peak of ${peak} bytes`).toBeLessThan(20 * 1024 * 1024);
  } finally {
    await server.stop();
  }
});

test("plus- and case-variants of one address get at most 3 confirmation mails", async ({ request }) => {
  const local = `flood${Date.now()}`;
  const variants = [`${local}@example.org`, `${local}+1@example.org`, `${local.toUpperCase()}+2@example.org`, `${local}+3@example.org`];
  const statuses: number[] = [];
  for (const email of variants) statuses.push((await request.post("/api/subscribe", { data: { email } })).status());
  expect(statuses).toEqual([202, 202, 202, 429]);
  await expect.poll(async () => (await Promise.all(variants.map((email) => mailsTo(email)))).flat().length, { timeout: 15_000 }).toBe(3);
});

test("a mail scanner opening the confirmation link confirms nothing", async ({ request }) => {
  const email = `scanned-${Date.now()}@example.org`;
  expect((await request.post("/api/subscribe", { data: { email } })).status()).toBe(202);
  let html = "";
  await expect.poll(async () => (html = (await mailsTo(email))[0]?.html ?? ""), { timeout: 15_000 }).not.toBe("");
  const link = /href="(http:\/\/localhost:3100\/subscribe\/confirm\?token=[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
  // A scanner follows the link and its redirect, and even prefetches the page.
  const opened = await request.get(link);
  expect(opened.status()).toBe(200);
  expect(await opened.text()).toContain("Confirm subscription");
  await request.head(link);
  const client = new pg.Client({ connectionString: e2eServices().databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string }>(`SELECT status FROM subscriber WHERE email = $1`, [email]);
    expect(rows[0]?.status).toBe("pending");
    // The button's POST (here as curl -X POST would send it) confirms.
    const posted = await request.post(link, { maxRedirects: 0 });
    expect(posted.status()).toBe(303);
    const after = await client.query<{ status: string }>(`SELECT status FROM subscriber WHERE email = $1`, [email]);
    expect(after.rows[0]?.status).toBe("confirmed");
  } finally {
    await client.end();
  }
});

test("past API_LIMIT_IP one IP gets 429s on the search API and on routes Next answers alike, whichever was asked first", async () => {
  // The search API is answered by the web server's own code and the paper list by Next's bundle;
  // they share one limit per IP. Each order in a fresh process: the first to ask makes the limiter.
  const orders = [
    ["/api/search?q=attention", "/api/papers?period=day&limit=1", "/api/papers?period=day&limit=2", "/api/papers?period=day&limit=3"],
    ["/api/papers?period=day&limit=4", "/api/search?q=diffusion", "/api/search?q=agents", "/api/search?q=robots"],
  ];
  for (const paths of orders) {
    const web = await startWebProcess({ API_LIMIT_IP: "2" });
    try {
      const answers = [];
      for (const path of paths) {
        const response = await fetch(`${web.url}${path}`);
        const body = (await response.json()) as { error?: { code: string } };
        answers.push({ status: response.status, code: body.error?.code ?? null, retryAfter: response.headers.get("retry-after") !== null });
      }
      const refused = { status: 429, code: "rate_limited", retryAfter: true };
      expect(answers, paths.join(" then ")).toEqual([{ status: 200, code: null, retryAfter: false }, { status: 200, code: null, retryAfter: false }, refused, refused]);
    } finally {
      await web.stop();
    }
  }
});
