// The headers every answer carries, whether Next sends it (next.config.ts) or the web server in
// front of it does (lib/http/web-server.ts: its refusals, the page cache, the direct routes).
export const SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];
