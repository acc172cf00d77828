import { describe, expect, it } from "vitest";
import { CONFIRM_TTL_MS, confirmToken, newNonce, readConfirmToken, readUnsubscribeToken, unsubscribeToken } from "@/lib/mail/tokens";

const SECRET = "unit-test-secret-unit-test-secret-0123";
const NOW = Date.parse("2026-06-16T08:00:00Z");

describe("confirmation tokens", () => {
  it("round-trips subscriber and nonce until they expire", () => {
    const nonce = newNonce();
    const token = confirmToken(SECRET, 42n, nonce, NOW);
    expect(readConfirmToken(SECRET, token, NOW + CONFIRM_TTL_MS - 1_000)).toEqual({ ok: true, value: { subscriberId: 42n, nonce } });
    expect(readConfirmToken(SECRET, token, NOW + CONFIRM_TTL_MS + 1_000)).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects another secret, a changed id, nonce or expiry, and garbage", () => {
    const nonce = newNonce();
    const token = confirmToken(SECRET, 42n, nonce, NOW);
    const [kind, id, n, expiry, signature] = token.split(".");
    expect(readConfirmToken("another-secret-another-secret-0123456", token, NOW).ok).toBe(false);
    expect(readConfirmToken(SECRET, [kind, "43", n, expiry, signature].join("."), NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(readConfirmToken(SECRET, [kind, id, newNonce(), expiry, signature].join("."), NOW)).toEqual({ ok: false, reason: "bad-signature" });
    expect(readConfirmToken(SECRET, [kind, id, n, (parseInt(expiry!, 36) + 86_400).toString(36), signature].join("."), NOW)).toEqual({ ok: false, reason: "bad-signature" });
    for (const bad of ["", "c.1", token + "x", token.replace(/^c/, "u"), "c.1.abc.def.ghi"]) expect(readConfirmToken(SECRET, bad, NOW).ok).toBe(false);
  });

  it("makes a fresh nonce each time", () => {
    expect(new Set(Array.from({ length: 100 }, newNonce)).size).toBe(100);
  });
});

describe("unsubscribe tokens", () => {
  it("never expire and are bound to the subscriber and the secret", () => {
    const token = unsubscribeToken(SECRET, 7n);
    expect(readUnsubscribeToken(SECRET, token)).toEqual({ ok: true, value: { subscriberId: 7n } });
    expect(readUnsubscribeToken(SECRET, token.replace("u.7.", "u.8."))).toEqual({ ok: false, reason: "bad-signature" });
    expect(readUnsubscribeToken("another-secret-another-secret-0123456", token).ok).toBe(false);
    expect(readUnsubscribeToken(SECRET, token.slice(0, -1))).toEqual({ ok: false, reason: "malformed" });
    // A confirmation token is not an unsubscribe token, and the other way round.
    expect(readConfirmToken(SECRET, token).ok).toBe(false);
    expect(readUnsubscribeToken(SECRET, confirmToken(SECRET, 7n, newNonce())).ok).toBe(false);
  });

  it("use only characters that are safe in a URL, an HTML attribute and a mail header", () => {
    expect(unsubscribeToken(SECRET, 123456789n)).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(confirmToken(SECRET, 123456789n, newNonce())).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});
