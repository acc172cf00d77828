// Which URLs the page cache keeps, under which key and tags, for how long, and what they tell a CDN.
import { describe, expect, it } from "vitest";
import { cachePolicy } from "@/lib/cache/routes";

const policyOf = (pathAndQuery: string) => cachePolicy(new URL(pathAndQuery, "http://localhost"));

const MINUTE = 60_000;

describe("the page cache policy", () => {
  it("keeps the trending page under the trending tag, a short shared lifetime in front", () => {
    expect(policyOf("/")).toEqual({ key: "/", tags: ["trending"], ttlMs: 10 * MINUTE, cacheControl: "public, max-age=0, s-maxage=5, stale-while-revalidate=55" });
  });

  it("keys a query sorted and without Next's _rsc, so one page has one key", () => {
    expect(policyOf("/?period=week")).toMatchObject({ key: "/?period=week", tags: ["trending"] });
    expect(policyOf("/?period=week&_rsc=abc123")?.key).toBe("/?period=week");
    expect(policyOf("/?period=week&date=2026-06-12")?.key).toBe("/?date=2026-06-12&period=week");
    expect(policyOf("/?date=2026-06-12&period=week")?.key).toBe("/?date=2026-06-12&period=week");
    expect(policyOf("/?_rsc=abc123")?.key).toBe("/");
  });

  it.each([
    ["/papers/2401.00001", "2401.00001"],
    ["/papers/2401.00001v2", "2401.00001"],
    ["/papers/hep-th/9901001", "hep-th/9901001"],
    ["/papers/hep-th%2F9901001v3", "hep-th/9901001"],
    ["/api/papers/2401.00001", "2401.00001"],
    ["/api/papers/2401.00001v2", "2401.00001"],
  ])("tags %s with the paper's canonical id (%s)", (path, id) => {
    const policy = policyOf(path);
    expect(policy).toMatchObject({ key: path, ttlMs: 10 * MINUTE });
    expect([...(policy?.tags ?? [])].sort()).toEqual([`paper:${id}`, "papers"].sort());
    expect(policy?.cacheControl).toMatch(/^public, /);
  });

  it("tags a path that names no paper with every paper only", () => {
    expect(policyOf("/papers/not-a-paper")?.tags).toEqual(["papers"]);
  });

  it("keeps the paper list of the API under trending and papers", () => {
    expect(policyOf("/api/papers?period=month&_rsc=x")).toMatchObject({ key: "/api/papers?period=month", tags: expect.arrayContaining(["trending", "papers"]) });
  });

  it.each(["/feed.xml", "/feed.json"])("keeps %s under trending, a minute fresh for feed readers", (path) => {
    expect(policyOf(path)).toEqual({ key: path, tags: ["trending"], ttlMs: 10 * MINUTE, cacheControl: "public, max-age=60, s-maxage=60, stale-while-revalidate=300" });
  });

  it("keeps the list of digests under the digests tag", () => {
    expect(policyOf("/digests")).toMatchObject({ key: "/digests", tags: ["digests"], ttlMs: 60 * MINUTE });
  });

  it("keeps a frozen digest a day, and lets shared caches keep it an hour (its HTML names this build's scripts)", () => {
    const policy = policyOf("/digests/2026-06-12");
    expect(policy).toMatchObject({ key: "/digests/2026-06-12", tags: ["digest:2026-06-12"], ttlMs: 24 * 60 * MINUTE });
    expect(policy?.cacheControl).toMatch(/^public, /);
    expect(policy?.cacheControl).toMatch(/(^|, )max-age=300(,|$)/);
    expect(policy?.cacheControl).toMatch(/s-maxage=3600/);
  });

  it("tags a digest by its date as Next reads it, and does not cache a date that is not one", () => {
    expect(policyOf("/digests/2026%2D06%2D12")?.tags).toEqual(["digest:2026-06-12"]);
    expect(policyOf("/digests/2026-02-30")).toBeNull();
    expect(policyOf("/digests/latest")).toBeNull();
    expect(policyOf("/digests/%E0%A4%A")).toBeNull();
  });

  it("keeps a topic page under the trending tag, live like the home page, one key per window", () => {
    expect(policyOf("/topics/cs.RO")).toEqual({ key: "/topics/cs.RO", tags: ["trending"], ttlMs: 10 * MINUTE, cacheControl: "public, max-age=0, s-maxage=5, stale-while-revalidate=55" });
    expect(policyOf("/topics/hep-th?period=week&date=2026-06-12&_rsc=x")).toMatchObject({ key: "/topics/hep-th?date=2026-06-12&period=week", tags: ["trending"] });
    expect(policyOf("/topics/cond-mat.mes-hall")?.key).toBe("/topics/cond-mat.mes-hall");
    expect(policyOf("/topics/cs%2ERO")?.tags).toEqual(["trending"]);
  });

  it("does not cache a topic that redirects (another case, an alias) or is not a category", () => {
    for (const path of ["/topics/cs.ro", "/topics/CS.RO", "/topics/cs.SY", "/topics/cmp-lg", "/topics/cs.XX", "/topics/%E0%A4%A", "/topics/cs.RO/extra", "/topics/"]) {
      expect(policyOf(path), path).toBeNull();
    }
  });

  it.each([
    "/search",
    "/search?q=transformers",
    "/subscribe",
    "/subscribe/confirmed",
    "/unsubscribe",
    "/confirm",
    "/signin",
    "/account",
    "/api/votes",
    "/api/search?q=x",
    "/api/session",
    "/api/health",
    "/_next/static/chunks/main.js",
    "/_next/image?url=%2Fa.png",
    "/papers/",
    "/api/papers/",
    "/digests/2026-06-12/extra",
  ])("does not cache %s", (path) => {
    expect(policyOf(path)).toBeNull();
  });

  it("does not cache a query longer than 1024 characters", () => {
    expect(policyOf(`/?q=${"x".repeat(1022)}`)?.key).toHaveLength(2 + 1024);
    expect(policyOf(`/?q=${"x".repeat(1023)}`)).toBeNull();
    expect(policyOf(`/papers/2401.00001?${"a".repeat(2000)}=1`)).toBeNull();
  });

  it("never keeps a private feed: its secret is the only credential, and each answer is one subscriber's", () => {
    expect(cachePolicy(new URL("http://x/feed/f.1.abc.xml"))).toBeNull();
    expect(policyOf("/feed/f.12.AbCdEfGhIjKlMnOpQrStUvWxYz012345.xml")).toBeNull();
    expect(policyOf("/feed/f.12.AbCdEfGhIjKlMnOpQrStUvWxYz012345.xml?_rsc=x")).toBeNull();
  });
});
