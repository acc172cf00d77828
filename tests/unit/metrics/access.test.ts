// Who may read /metrics: the bearer token when one is set, else a loopback peer no proxy forwarded.
import { describe, expect, it } from "vitest";
import { isLoopback, mayReadMetrics } from "@/lib/metrics/access";

const TOKEN = "metrics-token-0123456789";

describe("access to /metrics", () => {
  it("with a token, takes only that bearer token, from anywhere", () => {
    const from = (peer: string, authorization?: string) => mayReadMetrics({ peer, authorization, forwarded: false }, TOKEN);
    expect({
      right: from("203.0.113.7", `Bearer ${TOKEN}`),
      lowercaseScheme: from("203.0.113.7", `bearer ${TOKEN}`),
      forwarded: mayReadMetrics({ peer: "127.0.0.1", authorization: `Bearer ${TOKEN}`, forwarded: true }, TOKEN),
      loopbackWithout: from("127.0.0.1"),
      wrong: from("127.0.0.1", `Bearer ${TOKEN.slice(0, -1)}x`),
      prefix: from("127.0.0.1", `Bearer ${TOKEN.slice(0, -1)}`),
      longer: from("127.0.0.1", `Bearer ${TOKEN}0`),
      basic: from("127.0.0.1", `Basic ${TOKEN}`),
      bare: from("127.0.0.1", TOKEN),
    }).toEqual({ right: true, lowercaseScheme: true, forwarded: true, loopbackWithout: false, wrong: false, prefix: false, longer: false, basic: false, bare: false });
  });

  it("without a token, takes loopback peers that no proxy forwarded", () => {
    const from = (peer: string | undefined, forwarded = false) => mayReadMetrics({ peer, authorization: undefined, forwarded }, undefined);
    expect({
      v4: from("127.0.0.1"),
      v4Other: from("127.1.2.3"),
      v6: from("::1"),
      mapped: from("::ffff:127.0.0.1"),
      forwarded: from("127.0.0.1", true),
      lan: from("192.168.1.10"),
      public: from("203.0.113.7"),
      none: from(undefined),
    }).toEqual({ v4: true, v4Other: true, v6: true, mapped: true, forwarded: false, lan: false, public: false, none: false });
    expect(isLoopback("fd00::2")).toBe(false);
  });

  it("behind a reverse proxy, without a token, takes no one: the proxy itself is a loopback peer", () => {
    expect(mayReadMetrics({ peer: "127.0.0.1", authorization: undefined, forwarded: false }, undefined, true)).toBe(false);
    expect(mayReadMetrics({ peer: "127.0.0.1", authorization: "Bearer a-long-random-token-0123", forwarded: false }, "a-long-random-token-0123", true)).toBe(true);
  });
});
