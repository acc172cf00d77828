// Whether this process serves Next through our web server, which sets the client-address header
// from the socket. A process-wide mark: Next runs route handlers in the server's own process.
const MARK = Symbol.for("trending-papers.web-server");

type Marked = { [MARK]?: boolean };

export function markBehindWebServer(): void {
  (globalThis as Marked)[MARK] = true;
}

export function isBehindWebServer(): boolean {
  return (globalThis as Marked)[MARK] === true;
}
