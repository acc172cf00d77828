import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/sign-in";
import { readSignInToken, SIGN_IN_TTL_MS, signInToken } from "@/lib/mail/tokens";

const SECRET = "unit-test-secret-0123456789abcdefghij";
const NONCE = "AAAAAAAAAAAAAAAA";

describe("sign-in tokens", () => {
  it("round-trip the link and nonce for an hour, then expire", () => {
    const now = Date.UTC(2026, 11, 1, 9, 0, 0);
    const token = signInToken(SECRET, 42n, NONCE, now);
    expect(token.startsWith("s.42.")).toBe(true);
    expect(readSignInToken(SECRET, token, now + SIGN_IN_TTL_MS - 1000)).toEqual({ ok: true, value: { linkId: 42n, nonce: NONCE } });
    expect(readSignInToken(SECRET, token, now + SIGN_IN_TTL_MS + 1000)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuse another secret, an edited link id, and confirmation or unsubscribe tokens", () => {
    const token = signInToken(SECRET, 42n, NONCE);
    expect(readSignInToken("another-secret-0123456789abcdefghijkl", token)).toEqual({ ok: false, reason: "bad-signature" });
    expect(readSignInToken(SECRET, token.replace("s.42.", "s.43."))).toEqual({ ok: false, reason: "bad-signature" });
    expect(readSignInToken(SECRET, `c${token.slice(1)}`)).toEqual({ ok: false, reason: "malformed" });
    expect(readSignInToken(SECRET, "s.1.damaged")).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("safeNextPath", () => {
  it("keeps paths on this site", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/?date=2026-05-21&period=week")).toBe("/?date=2026-05-21&period=week");
    expect(safeNextPath("/papers/hep-th/9901001")).toBe("/papers/hep-th/9901001");
  });

  it("refuses anything that could lead to another site", () => {
    for (const value of ["//evil.example", "/\\evil.example", "/\u4e2d", "/a\u0001b", "https://evil.example/", "javascript:alert(1)", "evil", "/ok path", "", `/${"a".repeat(600)}`, 5, undefined]) {
      expect(safeNextPath(value), String(value)).toBeUndefined();
    }
  });
});
