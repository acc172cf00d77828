// What every benchmark script needs around its measurements: checked numeric options, .env files loaded as
// every process loads them, and stopping whatever it started (newest first) on success, on errors and on Ctrl-C.
import { loadEnvFiles } from "../env-files";

export function positiveInt(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    console.error(`--${name} must be a whole number >= 1 (got ${JSON.stringify(value)})`);
    process.exit(2);
  }
  return number;
}

const cleanups: (() => Promise<void> | void)[] = [];
let cleaning: Promise<void> | undefined;
let interrupted = false;

/** Registers a step that stops something this run started. */
export function onCleanup(...steps: (() => Promise<void> | void)[]): void {
  cleanups.push(...steps);
}

/** Runs every registered step once, newest first; later calls wait for the first. */
export function cleanUp(): Promise<void> {
  return (cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`cleanup: ${(error as Error).message}`);
      }
    }
  })());
}

/** True once Ctrl-C (or SIGTERM) arrived. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/** On SIGINT or SIGTERM: say what is being stopped, clean up, exit with the signal's code. */
export function stopOnSignals(stopping: string): void {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.on(signal, () => {
      interrupted = true;
      console.error(`\n${signal}: ${stopping}…`);
      void cleanUp().finally(() => process.exit(code));
    });
  }
}

/** How a benchmark ends: its error's message (unless interrupted), cleanup, then the exit code (130 after Ctrl-C). */
export function runBench(main: () => Promise<void>): void {
  loadEnvFiles();
  main()
    .catch((error: unknown) => {
      if (!wasInterrupted()) {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
      }
    })
    .finally(async () => {
      await cleanUp();
      process.exit(wasInterrupted() ? 130 : (process.exitCode ?? 0));
    });
}
