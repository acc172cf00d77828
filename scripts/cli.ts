// How every CLI starts and ends: .env files loaded first, then the exit code main() returns, or, on an error,
// its message (no stack trace) and 2 for bad configuration (the message names the variable), else 1.
import { ConfigError } from "@/lib/env";
import { loadEnvFiles } from "./env-files";

/** Says why a process stops and returns its exit code. */
export function failureCode(error: unknown): number {
  console.error(error instanceof Error ? error.message : error);
  return error instanceof ConfigError ? 2 : 1;
}

export function runCli(main: () => Promise<number>): void {
  // lib/env.ts reads process.env on first use, so loading here still comes before any setting is read.
  loadEnvFiles();
  main().then(
    (code) => process.exit(code),
    (error: unknown) => process.exit(failureCode(error)),
  );
}
