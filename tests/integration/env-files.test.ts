// A CLI reads .env from the project folder as Next does, the real environment wins over the file, and a bad
// value in the file stops the CLI with exit code 2 naming the variable. The project folder is a scratch copy
// (symlinks to this checkout) holding its own .env, so no developer's .env takes part.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppDatabase, type TestDatabase } from "./test-db";

const DATE = "2026-06-16";
let database: TestDatabase;
let project: string;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
  project = fs.mkdtempSync(path.join(os.tmpdir(), "env-files-"));
  // Everything but the dot files (.env*, .data, .next, .git): the CLI resolves its code, tsconfig and
  // migrations from its working folder, as `npm run` gives it the project folder.
  for (const entry of fs.readdirSync(process.cwd())) {
    if (!entry.startsWith(".")) fs.symlinkSync(path.join(process.cwd(), entry), path.join(project, entry));
  }
});

afterAll(async () => {
  if (project) fs.rmSync(project, { recursive: true, force: true });
  await database?.drop();
});

/** `npm run digest -- --dry-run` in the scratch project, with `dotEnv` as its .env and `environment` added to the real environment. */
function dryRun(dotEnv: string, environment: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  fs.writeFileSync(path.join(project, ".env"), dotEnv);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, DATA_DIR: path.join(project, "data-dir"), ...environment };
  // Only what this test sets: nothing from the shell running the tests, and no mark of an environment already loaded.
  if (!("DIGEST_SIZE" in environment)) delete env.DIGEST_SIZE;
  delete env.__NEXT_PROCESSED_ENV;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/digest.ts", "--date", DATE, "--dry-run"], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

const listedPapers = (output: string) => output.match(/^ +\d+\. /gm)?.length ?? 0;

describe("configuration from .env files", () => {
  it("a CLI uses a setting from .env", async () => {
    const run = await dryRun("DIGEST_SIZE=2\n");
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Dry run for ${DATE}: 2 papers`);
    expect(listedPapers(run.output)).toBe(2);
  });

  it("the real environment wins over .env", async () => {
    const run = await dryRun("DIGEST_SIZE=2\n", { DIGEST_SIZE: "3" });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Dry run for ${DATE}: 3 papers`);
    expect(listedPapers(run.output)).toBe(3);
  });

  it("a bad value in .env stops the CLI with exit code 2, naming the variable, without a stack trace", async () => {
    const run = await dryRun("DIGEST_SIZE=abc\n");
    expect(run).toMatchObject({ code: 2 });
    expect(run.output).toMatch(/^Invalid configuration:\n {2}DIGEST_SIZE: /);
    expect(run.output).not.toMatch(/^\s+at /m);
  });
});
