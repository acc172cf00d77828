// .env files for every process we start ourselves (CLIs, the worker, our web server, benchmarks), read as Next
// reads them, with Next's own loader: .env.$NODE_ENV.local, .env.local (not when NODE_ENV=test), .env.$NODE_ENV,
// .env, from the project folder (the working folder, as for `next start`); the real environment always wins.
import nextEnv from "@next/env";

const quiet = { info: () => undefined, error: (...args: unknown[]) => console.error(...args) };

/**
 * Loads the files into process.env once per process. `dev` picks the development files over the production
 * ones as `next dev` / `next start` do; unset NODE_ENV counts as development, as in lib/env.ts. Next's server
 * loading them again in the same process (same loader, same mode) or in a child changes nothing.
 */
export function loadEnvFiles(dev = process.env.NODE_ENV !== "production"): void {
  nextEnv.loadEnvConfig(process.cwd(), dev, quiet);
}

/** process.env as it was before the files were loaded, for a child process that loads them itself. */
export function environmentWithoutFiles(): NodeJS.ProcessEnv {
  // Next's loader keeps that copy; NODE_ENV is typed as always set, which a copy of the environment cannot promise.
  return { ...(nextEnv.initialEnv ?? process.env) } as NodeJS.ProcessEnv;
}
