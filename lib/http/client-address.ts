// Who sent a request, as far as the server can tell without trusting the client (pure).
// With no trusted proxy the TCP peer is the client; behind N trusted proxies the client is the
// address the outermost trusted proxy saw, i.e. the entry the nearest N proxies appended last.
// A hop counts as a proxy only if its address is in the trusted networks: a client that reaches
// the server directly is the client, whatever X-Forwarded-For it sends.
import ipaddr from "ipaddr.js";
import { DEFAULT_PROXY_NETWORKS } from "@/lib/env";


/** The request header the web server sets from the socket; any value a client sends is replaced. */
export const CLIENT_ADDRESS_HEADER = "x-trending-papers-client";
/** The request id: a trusted proxy's, or one the web server makes; sent back on every answer. */
export const REQUEST_ID_HEADER = "x-request-id";

/** Parses an address (IPv4, IPv6, IPv4-mapped IPv6, with an optional zone) to its canonical text, or undefined. */
export function canonicalAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const text = value.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  if (!ipaddr.isValid(text)) return undefined;
  const parsed = ipaddr.process(text);
  return parsed.toString();
}

export type Networks = [ipaddr.IPv4 | ipaddr.IPv6, number][];

/** Parses CIDR ranges (a bare address is a one-address range); throws on a malformed one. */
export function parseNetworks(ranges: string[]): Networks {
  return ranges.map((range) => {
    const [address, bits] = range.includes("/") ? ipaddr.parseCIDR(range) : [ipaddr.parse(range), ipaddr.parse(range).kind() === "ipv4" ? 32 : 128];
    return [address, bits] as [ipaddr.IPv4 | ipaddr.IPv6, number];
  });
}

function inNetworks(address: string, networks: Networks): boolean {
  const parsed = ipaddr.parse(address);
  return networks.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
}

/** Whether the peer is one of the trusted proxies: TRUSTED_PROXIES > 0 and its address in their networks. */
export function isTrustedProxy(peer: string | undefined, trustedProxies: number, proxyNetworks?: Networks): boolean {
  const address = canonicalAddress(peer);
  return trustedProxies > 0 && address !== undefined && inNetworks(address, proxyNetworks ?? parseNetworks(DEFAULT_PROXY_NETWORKS));
}

/**
 * The client's address: the peer with no trusted proxy, else the entry of X-Forwarded-For that the
 * outermost trusted proxy appended (each proxy appends the address it received the request from).
 * Walking from the peer outwards, the first hop outside the trusted networks is the client.
 * Undefined when the entry needed is missing or not an address: a limit then refuses.
 */
export function clientAddress(input: {
  peer: string | undefined;
  forwardedFor: string | string[] | undefined;
  trustedProxies: number;
  proxyNetworks?: Networks;
}): string | undefined {
  const peer = canonicalAddress(input.peer);
  if (input.trustedProxies === 0 || !peer) return peer;
  const networks = input.proxyNetworks ?? parseNetworks(DEFAULT_PROXY_NETWORKS);
  const header = Array.isArray(input.forwardedFor) ? input.forwardedFor.join(",") : (input.forwardedFor ?? "");
  // The nearest hop is the peer itself; each proxy appended the address of the next one out.
  const chain = [
    ...header
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
    peer,
  ];
  let index = chain.length - 1;
  for (let hop = 0; hop < input.trustedProxies; hop++) {
    const address = canonicalAddress(chain[index]);
    if (!address) return undefined;
    if (!inNetworks(address, networks)) return address;
    index--;
  }
  return canonicalAddress(chain[index]);
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
