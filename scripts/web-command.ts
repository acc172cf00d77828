// How the web server is started, the same way by npm start, the benchmarks and the browser tests:
// `node --max-old-space-size=<WEB_HEAP_MB> --import tsx scripts/web.ts`.
import { env } from "@/lib/env";

/** The node arguments that run the web server (after `process.execPath`). */
export function webServerArgs(extra: string[] = []): string[] {
  const heap = env.WEB_HEAP_MB > 0 ? [`--max-old-space-size=${env.WEB_HEAP_MB}`] : [];
  return [...heap, "--import", "tsx", "scripts/web.ts", ...extra];
}
