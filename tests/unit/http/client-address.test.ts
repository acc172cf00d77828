import { describe, expect, it } from "vitest";
import { canonicalAddress, clientAddress, limitKey, parseNetworks } from "@/lib/http/client-address";

describe("clientAddress", () => {
  it("is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress({ peer: "203.0.113.7", forwardedFor: "198.51.100.1", trustedProxies: 0 })).toBe("203.0.113.7");
    expect(clientAddress({ peer: "::ffff:203.0.113.7", forwardedFor: undefined, trustedProxies: 0 })).toBe("203.0.113.7");
  });

  it("behind trusted proxies, is the entry the outermost trusted proxy appended", () => {
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "203.0.113.7", trustedProxies: 1 })).toBe("203.0.113.7");
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "spoofed, 198.51.100.9, 203.0.113.7", trustedProxies: 1 })).toBe("203.0.113.7");
    expect(clientAddress({ peer: "10.0.0.3", forwardedFor: ["1.1.1.1, 203.0.113.7", "10.0.0.2"], trustedProxies: 2 })).toBe("203.0.113.7");
  });

  it("is unknown when the trusted entry is missing or not an address", () => {
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: undefined, trustedProxies: 1 })).toBeUndefined();
    // Two proxies configured, both hops are proxies, and nothing before them: no client address.
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "10.0.0.1", trustedProxies: 2 })).toBeUndefined();
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "<script>", trustedProxies: 1 })).toBeUndefined();
    expect(clientAddress({ peer: undefined, forwardedFor: "203.0.113.7", trustedProxies: 0 })).toBeUndefined();
  });
});

describe("limitKey", () => {
  it("keys IPv4 by address and IPv6 by its /64", () => {
    expect(limitKey("203.0.113.7")).toBe("203.0.113.7");
    expect(limitKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limitKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(limitKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(limitKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(limitKey("[2001:db8::1]")).toBe("2001:db8:0:0::/64");
    expect(limitKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(limitKey("not an ip")).toBeUndefined();
    expect(limitKey(undefined)).toBeUndefined();
  });

  it("canonicalises the spellings of one address", () => {
    expect(canonicalAddress("2001:DB8::0:1")).toBe(canonicalAddress("2001:db8::1"));
  });
});

describe("clientIp without our web server in front", () => {
  it("trusts no header at all (a bare next start): the key is unknown, so limits refuse", async () => {
    const { clientIp } = await import("@/lib/api/client-ip");
    const { CLIENT_ADDRESS_HEADER } = await import("@/lib/http/client-address");
    expect(clientIp(new Headers({ [CLIENT_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": "203.0.113.7" }))).toBeUndefined();
  });
});

describe("clientAddress with trusted proxy networks", () => {
  it("a peer outside the proxy networks is the client, whatever X-Forwarded-For says", () => {
    // TRUSTED_PROXIES=1 but the request came straight from the internet, not through the proxy.
    expect(clientAddress({ peer: "198.51.100.7", forwardedFor: "203.0.113.1", trustedProxies: 1 })).toBe("198.51.100.7");
    expect(clientAddress({ peer: "198.51.100.7", forwardedFor: "203.0.113.1", trustedProxies: 1, proxyNetworks: parseNetworks(["198.51.100.0/24"]) })).toBe("203.0.113.1");
  });

  it("stops at the first hop outside the networks when walking out through several proxies", () => {
    // The nearest proxy (10.0.0.2) is trusted; the entry it appended (203.0.113.5) is not a proxy.
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "1.1.1.1, 203.0.113.5", trustedProxies: 2 })).toBe("203.0.113.5");
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "1.1.1.1, 203.0.113.5, 10.0.0.1", trustedProxies: 2 })).toBe("203.0.113.5");
  });

  it("refuses malformed networks", () => {
    expect(() => parseNetworks(["10.0.0.0/33"])).toThrow();
    expect(parseNetworks(["192.0.2.1"])).toHaveLength(1);
  });
});
