// The keys the web server and the worker get from a real Meilisearch: the web server's key can
// search and nothing else, so a leak of it (it never reaches the browser) cannot change the index.
import { describe, expect, inject, it } from "vitest";
import { resolveKeys } from "@/lib/search/meilisearch";

async function call(url: string, key: string, method: string, path: string, body?: unknown): Promise<number> {
  const response = await fetch(new URL(path, url), {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("Meilisearch keys", () => {
  it("give the web server a search-only key and the worker no key management", async () => {
    const url = inject("meiliUrl");
    const index = `keys_${Date.now()}`;
    // Keys made for another index name first (as another instance, or an earlier MEILI_INDEX, would).
    const other = await resolveKeys(url, inject("meiliMasterKey"), "papers");
    const keys = await resolveKeys(url, inject("meiliMasterKey"), index);
    expect(keys.search).not.toBe(other.search);
    expect(keys.search).not.toBe(inject("meiliMasterKey"));
    expect(keys.admin).not.toBe(inject("meiliMasterKey"));
    expect(await call(url, keys.admin, "POST", "/indexes", { uid: index, primaryKey: "id" })).toBe(202);
    // The search key: searching is allowed (404 until the index exists), writing is not.
    expect([200, 404]).toContain(await call(url, keys.search, "POST", `/indexes/${index}/search`, { q: "x" }));
    expect(await call(url, keys.search, "POST", `/indexes/${index}/documents`, [{ id: "1" }])).toBe(403);
    expect(await call(url, keys.search, "DELETE", `/indexes/${index}`)).toBe(403);
    expect(await call(url, keys.search, "GET", "/keys")).toBe(403);
    // The admin key indexes, but cannot mint or list keys.
    expect(await call(url, keys.admin, "GET", "/keys")).toBe(403);
    expect(await call(url, keys.admin, "DELETE", `/indexes/${index}`)).toBe(202);
  });
});
