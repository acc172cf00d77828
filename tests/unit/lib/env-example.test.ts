// .env.example lists every setting of lib/env.ts with its default, read the way every process reads a .env file.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES, parseEnv } from "@/lib/env";

const EXAMPLE = fs.readFileSync(path.join(process.cwd(), ".env.example"), "utf8");
const SETTING = /^(#\s*)?([A-Z][A-Z0-9_]*)=/;

/** What @next/env loads from a folder holding `text` as its .env (in a child with an empty environment, so nothing wins over the file). */
function loadAsNext(text: string): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-example-"));
  try {
    fs.writeFileSync(path.join(dir, ".env"), text);
    const script = `process.stdout.write(JSON.stringify(require("@next/env").loadEnvConfig(process.argv[1], true, { info() {}, error: console.error }).parsedEnv ?? {}))`;
    const output = execFileSync(process.execPath, ["-e", script, dir], { cwd: process.cwd(), env: { PATH: process.env.PATH, NODE_ENV: "development" }, encoding: "utf8" });
    return JSON.parse(output) as Record<string, string>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const listed = EXAMPLE.split("\n").flatMap((line) => line.match(SETTING)?.[2] ?? []);
const set = loadAsNext(EXAMPLE);
const uncommented = loadAsNext(EXAMPLE.replace(/^#\s*([A-Z][A-Z0-9_]*=)/gm, "$1"));
const defaults = parseEnv({});

describe(".env.example", () => {
  it("lists every variable of lib/env.ts once, and nothing else", () => {
    const variables: string[] = ENV_VARIABLES;
    expect({
      missing: variables.filter((name) => !listed.includes(name)),
      unknown: listed.filter((name) => !variables.includes(name)),
      twice: listed.filter((name, index) => listed.indexOf(name) !== index),
    }).toEqual({ missing: [], unknown: [], twice: [] });
  });

  it("sets each variable to the default lib/env.ts gives it, and leaves those unset by default commented out", () => {
    expect(Object.keys(set).length).toBeGreaterThan(30);
    expect(parseEnv(set)).toEqual(defaults);
  });

  it("shows, in a commented line, the default or a valid example", () => {
    const commented = Object.keys(uncommented).filter((name) => !(name in set));
    expect(commented).toContain("DATABASE_URL");
    // Valid examples parse; a variable that has a default shows that default.
    expect(parseEnv(uncommented)).toMatchObject(defaults);
  });
});
