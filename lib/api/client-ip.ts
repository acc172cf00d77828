// The client's IP for per-IP limits. Route handlers and server actions do not see the socket, so
// the web server in front of Next (lib/http/web-server.ts, what `npm start` runs) writes the
// address it took from the socket (or from the trusted proxies' entries) into a header of its
// own, replacing anything a client sent under that name. Without that server in this process
// (a bare `next start`), nothing is trusted: the key is unknown and limits refuse.
import { CLIENT_ADDRESS_HEADER, limitKey } from "@/lib/http/client-address";
import { isBehindWebServer } from "@/lib/http/web-server-mark";

/** The client address (canonical text), or undefined when it cannot be known. */
export function clientAddressOf(headers: Headers): string | undefined {
  if (!isBehindWebServer()) return undefined;
  return headers.get(CLIENT_ADDRESS_HEADER) ?? undefined;
}

/** The per-IP limit key (an IPv4 address or an IPv6 /64), or undefined: a limit then refuses. */
export function clientIp(headers: Headers): string | undefined {
  return limitKey(clientAddressOf(headers));
}
