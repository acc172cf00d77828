// Routes the web server answers itself, with the very handler Next's route file exports, instead
// of handing the request to Next. Meant for an uncached endpoint that is asked often (search as
// you type): there Next's own work per request (its router, request and response objects,
// compression) costs more CPU than the handler. The answer is the same: the handler's status and
// headers (the web server adds the security headers to every answer), gzip for the types and from
// the size Next's compression takes (not its deflate or `no-transform`: these routes' clients take
// gzip, and their answers are JSON), HEAD and the CORS preflight. Every other path and method goes
// to Next.
import type http from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { NextRequest } from "next/server";
import { acceptsGzip, headerText } from "./page-cache";
import { refuse, type RequestHandler } from "./web-server";

/** What a route file exports: GET, and the preflight when it has one. */
export type DirectRoute = { GET: (request: NextRequest) => Promise<Response>; OPTIONS?: () => Response };

const gzip = promisify(zlib.gzip);
/** As Next's compression: smaller bodies go as they are. */
const GZIP_MIN_BYTES = 1024;
/** Types Next's compression compresses, as far as these routes answer them. */
const COMPRESSIBLE = /^(application\/(json|.*\+json|.*\+xml|xml)|text\/)/i;

/** The request as a route handler sees it; undefined when a header is not one Fetch takes. */
function toNextRequest(request: http.IncomingMessage, origin: string): NextRequest | undefined {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.set(name, value);
    }
    return new NextRequest(new URL(request.url ?? "/", origin), { method: "GET", headers });
  } catch {
    return undefined;
  }
}

async function send(request: http.IncomingMessage, response: http.ServerResponse, answer: Response): Promise<void> {
  // HEAD gets the headers GET would (its length and encoding too), without the body.
  const bodiless = answer.status === 204 || answer.status === 304;
  let body = bodiless ? undefined : Buffer.from(await answer.arrayBuffer());
  for (const [name, value] of answer.headers) if (name !== "set-cookie") response.setHeader(name, value);
  const cookies = answer.headers.getSetCookie();
  if (cookies.length > 0) response.setHeader("set-cookie", cookies);
  if (body && COMPRESSIBLE.test(answer.headers.get("content-type") ?? "") && !answer.headers.has("content-encoding")) {
    const vary = headerText(response.getHeader("vary") as string | string[] | undefined);
    response.setHeader("vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    if (body.length >= GZIP_MIN_BYTES && acceptsGzip(headerText(request.headers["accept-encoding"]))) {
      body = await gzip(body);
      response.setHeader("content-encoding", "gzip");
    }
  }
  if (body) response.setHeader("content-length", body.length);
  response.writeHead(answer.status);
  response.end(request.method === "HEAD" ? undefined : body);
}

/**
 * Answers `routes` (by exact path) with their handlers, and hands everything else to `next`.
 * `origin` is the site's own (APP_URL): the handler's request URL is built on it.
 */
export function withDirectRoutes(routes: Record<string, DirectRoute>, origin: string, next: RequestHandler): RequestHandler {
  const byPath = new Map(Object.entries(routes));
  return async (request, response) => {
    const route = byPath.get((request.url ?? "/").split(/[?#]/, 1)[0] ?? "");
    const method = request.method;
    if (!route) return next(request, response);
    if (method === "OPTIONS" && route.OPTIONS) return send(request, response, route.OPTIONS());
    if (method !== "GET" && method !== "HEAD") return next(request, response);
    const nextRequest = toNextRequest(request, origin);
    if (!nextRequest) return refuse(response, 400, "invalid_request", "A request header is malformed.");
    return send(request, response, await route.GET(nextRequest));
  };
}
