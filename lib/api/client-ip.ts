// The client's IP for per-IP limits. Route handlers do not see the socket, so this reads
// X-Forwarded-For: `next start` sets it to the socket address when absent, and each trusted proxy
// in front (TRUSTED_PROXIES) appends the address it saw. Entries further left are the client's word.
import { env } from "@/lib/env";

export function clientIp(headers: Headers, trustedProxies = env.TRUSTED_PROXIES): string | undefined {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[entries.length - Math.max(trustedProxies, 1)] ?? headers.get("x-real-ip")?.trim();
  return entry && /^[0-9a-fA-F:.]{2,45}$/.test(entry) ? entry : undefined;
}
