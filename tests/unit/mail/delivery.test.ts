import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/api/client-ip";
import { retryDelay } from "@/lib/digest/send";
import { isTemporaryMailError } from "@/lib/mail/transport";
import { parseEnv } from "@/lib/env";

describe("isTemporaryMailError", () => {
  it("retries 4xx replies and network failures, not 5xx or unbuildable messages", () => {
    expect(isTemporaryMailError(Object.assign(new Error("421"), { responseCode: 421 }))).toBe(true);
    expect(isTemporaryMailError(Object.assign(new Error("451"), { responseCode: 451, code: "EENVELOPE" }))).toBe(true);
    expect(isTemporaryMailError(Object.assign(new Error("refused"), { code: "ECONNECTION" }))).toBe(true);
    expect(isTemporaryMailError(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }))).toBe(true);
    expect(isTemporaryMailError(Object.assign(new Error("550"), { responseCode: 550, code: "EENVELOPE" }))).toBe(false);
    expect(isTemporaryMailError(Object.assign(new Error("554"), { responseCode: 554 }))).toBe(false);
    expect(isTemporaryMailError(Object.assign(new Error("bad"), { code: "EMESSAGE" }))).toBe(false);
  });
});

describe("retryDelay", () => {
  it("doubles from the base and stops growing at 15 minutes", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, 60_000))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelay(10, 60_000)).toBe(15 * 60_000);
  });
});

describe("clientIp", () => {
  const headers = (value: string) => new Headers({ "x-forwarded-for": value });
  it("takes the address next start saw, or the one the nearest trusted proxy appended", () => {
    expect(clientIp(headers("203.0.113.7"), 0)).toBe("203.0.113.7");
    expect(clientIp(headers("10.9.9.9, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientIp(headers("spoofed, 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
    expect(clientIp(headers("2001:db8::1"), 0)).toBe("2001:db8::1");
    expect(clientIp(new Headers(), 0)).toBeUndefined();
    expect(clientIp(headers("<script>"), 0)).toBeUndefined();
  });
});

describe("mail settings", () => {
  it("has sensible digest defaults and wants all DKIM settings or none", () => {
    expect(parseEnv({})).toMatchObject({ DIGEST_CRON: "0 7 * * *", DIGEST_TZ: "UTC", DIGEST_SIZE: 10 });
    expect(() => parseEnv({ DIGEST_TZ: "Mars/Olympus" })).toThrow(/DIGEST_TZ/);
    expect(() => parseEnv({ DKIM_DOMAIN: "example.org" })).toThrow(/DKIM_DOMAIN: set DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY together/);
    expect(() => parseEnv({ TOKEN_SECRET: "short" })).toThrow(/TOKEN_SECRET/);
  });
});
