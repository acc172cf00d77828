import { describe, expect, it } from "vitest";
import { retryDelay } from "@/lib/digest/send";
import { isMailOutage, isTemporaryMailError } from "@/lib/mail/transport";
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

describe("isMailOutage", () => {
  it("pauses on failures of the relay itself (no reply, 421, a refused login), not on an address's or a message's", () => {
    expect(isMailOutage(Object.assign(new Error("refused"), { code: "ESOCKET", originalCode: "ECONNREFUSED" }))).toBe(true);
    expect(isMailOutage(Object.assign(new Error("closed"), { code: "ECONNECTION" }))).toBe(true);
    expect(isMailOutage(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }))).toBe(true);
    expect(isMailOutage(Object.assign(new Error("421"), { code: "EENVELOPE", responseCode: 421 }))).toBe(true);
    expect(isMailOutage(Object.assign(new Error("535"), { code: "EAUTH", responseCode: 535 }))).toBe(true);
    expect(isMailOutage(Object.assign(new Error("450"), { code: "EENVELOPE", responseCode: 450 }))).toBe(false);
    expect(isMailOutage(Object.assign(new Error("550"), { code: "EENVELOPE", responseCode: 550 }))).toBe(false);
    expect(isMailOutage(Object.assign(new Error("bad"), { code: "EMESSAGE" }))).toBe(false);
    expect(isMailOutage(Object.assign(new Error("cut off"), { code: "ESTREAM" }))).toBe(false);
  });
});

describe("retryDelay", () => {
  it("doubles from the base and stops growing at 15 minutes", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, 60_000))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelay(10, 60_000)).toBe(15 * 60_000);
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
