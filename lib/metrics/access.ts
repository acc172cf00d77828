// Who may read /metrics (pure): a request carrying METRICS_TOKEN as a bearer token, or, with no
// token set, a scraper on this host: a loopback peer (the socket's address, never a header) whose
// request no proxy forwarded, since a reverse proxy on this host makes every visitor a loopback peer.
import { createHash, timingSafeEqual } from "node:crypto";
import ipaddr from "ipaddr.js";
import { canonicalAddress } from "@/lib/http/client-address";

export type MetricsRequest = {
  /** The socket's remote address. */
  peer: string | undefined;
  authorization: string | undefined;
  /** Whether the request carries a proxy's forwarding header (X-Forwarded-For, Forwarded, X-Real-IP). */
  forwarded: boolean;
};

/** Equal strings in time that does not depend on where they differ (hashed first: lengths may differ). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function isLoopback(peer: string | undefined): boolean {
  const address = canonicalAddress(peer);
  return address !== undefined && ipaddr.parse(address).range() === "loopback";
}

/**
 * `proxied`: the site is configured behind a reverse proxy (TRUSTED_PROXIES > 0). Then a loopback
 * peer may be that proxy passing a visitor on without a forwarding header (a TCP proxy, a forgotten
 * proxy_set_header), so only the token opens /metrics.
 */
export function mayReadMetrics(request: MetricsRequest, token: string | undefined, proxied = false): boolean {
  if (token) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.authorization ?? "");
    return match !== null && sameSecret(match[1]!, token);
  }
  return !proxied && isLoopback(request.peer) && !request.forwarded;
}
