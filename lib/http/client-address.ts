// Who sent a request, as far as the server can tell without trusting the client (pure).
// With no trusted proxy the TCP peer is the client; behind N trusted proxies the client is the
// address the outermost trusted proxy saw, i.e. the entry the nearest N proxies appended last.
import ipaddr from "ipaddr.js";

/** The request header the web server sets from the socket; any value a client sends is replaced. */
export const CLIENT_ADDRESS_HEADER = "x-trending-papers-client";

/** Parses an address (IPv4, IPv6, IPv4-mapped IPv6, with an optional zone) to its canonical text, or undefined. */
export function canonicalAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const text = value.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  if (!ipaddr.isValid(text)) return undefined;
  const parsed = ipaddr.process(text);
  return parsed.toString();
}

/**
 * The client's address: the peer with no trusted proxy, else the entry of X-Forwarded-For that the
 * outermost trusted proxy appended (each proxy appends the address it received the request from).
 * Undefined when that entry is missing or not an address: a limit then refuses.
 */
export function clientAddress(input: { peer: string | undefined; forwardedFor: string | string[] | undefined; trustedProxies: number }): string | undefined {
  const peer = canonicalAddress(input.peer);
  if (input.trustedProxies === 0) return peer;
  if (!peer) return undefined;
  const header = Array.isArray(input.forwardedFor) ? input.forwardedFor.join(",") : (input.forwardedFor ?? "");
  const entries = header
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // The nearest proxy is the peer itself; it appended the address of the next one out, and so on.
  return canonicalAddress(entries[entries.length - input.trustedProxies]);
}

/** The key per-IP limits count by: the IPv4 address, or the /64 an IPv6 address belongs to. */
export function limitKey(address: string | undefined): string | undefined {
  const canonical = canonicalAddress(address);
  if (!canonical) return undefined;
  const parsed = ipaddr.parse(canonical);
  if (parsed.kind() === "ipv4") return canonical;
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(":")}::/64`;
}
