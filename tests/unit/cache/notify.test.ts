// The payloads that carry changed tags over Postgres NOTIFY, and reading them back.
import { describe, expect, it } from "vitest";
import { payloads, readPayload } from "@/lib/cache/notify";
import { paperTag } from "@/lib/cache/tags";

/** Postgres refuses a NOTIFY payload of 8000 bytes or more. */
const POSTGRES_PAYLOAD_LIMIT = 8000;

function everyTag(sent: string[]): string[] {
  return sent.flatMap((payload) => readPayload(payload) ?? ["<unreadable payload>"]);
}

describe("cache announcement payloads", () => {
  it("splits 5,000 long tags into payloads Postgres accepts, losing none", () => {
    // As long as a tag gets (lib/cache/tags.ts cuts longer ones).
    const tags = Array.from({ length: 5000 }, (_, i) => paperTag(`${i}-${"x".repeat(300)}`));
    expect(new Set(tags.map((tag) => tag.length))).toEqual(new Set([200]));
    const sent = payloads(tags);
    expect(sent.length).toBeGreaterThan(1);
    for (const payload of sent) expect(Buffer.byteLength(payload)).toBeLessThan(POSTGRES_PAYLOAD_LIMIT);
    expect(everyTag(sent)).toEqual(tags);
  });

  it("counts bytes, not characters, and escapes, for tags outside ASCII", () => {
    const tags = Array.from({ length: 3000 }, (_, i) => `paper:${i}-${"é🙂\"\\".repeat(20)}`);
    const sent = payloads(tags);
    for (const payload of sent) expect(Buffer.byteLength(payload)).toBeLessThan(POSTGRES_PAYLOAD_LIMIT);
    expect(everyTag(sent)).toEqual(tags);
  });

  it("sends a tag named twice once, and nothing for no tags", () => {
    expect(payloads(["trending", "paper:2401.00001", "trending"])).toEqual([JSON.stringify(["trending", "paper:2401.00001"])]);
    expect(payloads([])).toEqual([]);
  });

  it("reads back what it sent", () => {
    const tags = ["trending", "paper:hep-th/9901001", "digest:2026-06-12"];
    expect(payloads(tags).map(readPayload)).toEqual([tags]);
  });

  it.each([undefined, "", "junk", "{", "{}", '"trending"', "[1, 2]", '["trending", null]', "null", "42"])("reads %j as no payload of this version", (payload) => {
    expect(readPayload(payload)).toBeNull();
  });
});
