// The vote cookie: signed ids round-trip; anything edited, truncated or signed elsewhere is refused.
import { describe, expect, it } from "vitest";
import { newVisitorId, readVisitorCookie, visitorCookieOptions, visitorCookieValue } from "@/lib/votes/visitor";

const SECRET = "unit-test-secret-0123456789abcdef0123";

describe("visitor cookie", () => {
  it("reads back the id it signed", () => {
    const id = newVisitorId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(readVisitorCookie(SECRET, visitorCookieValue(SECRET, id))).toBe(id);
    expect(newVisitorId()).not.toBe(id);
  });

  it("refuses edited, truncated, foreign and malformed values", () => {
    const id = newVisitorId();
    const value = visitorCookieValue(SECRET, id);
    const other = newVisitorId();
    expect(readVisitorCookie(SECRET, `${other}.${value.split(".")[1]}`)).toBeNull();
    expect(readVisitorCookie(SECRET, value.slice(0, -1))).toBeNull();
    expect(readVisitorCookie("another-secret-0123456789abcdef012345", value)).toBeNull();
    expect(readVisitorCookie(SECRET, `${value}.x`)).toBeNull();
    expect(readVisitorCookie(SECRET, id)).toBeNull();
    expect(readVisitorCookie(SECRET, undefined)).toBeNull();
    expect(readVisitorCookie(SECRET, "")).toBeNull();
  });

  it("is httpOnly and SameSite=Lax, and Secure only on an https site", () => {
    expect(visitorCookieOptions("https://papers.example.org")).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true, path: "/" });
    expect(visitorCookieOptions("http://localhost:3000").secure).toBe(false);
  });
});
