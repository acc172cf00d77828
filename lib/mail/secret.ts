// The secret that signs confirmation and unsubscribe links: TOKEN_SECRET, or one generated once
// under DATA_DIR (mode 0600) and shared by every process on this host (never in production, where
// every host must share one). Server side only.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, env } from "@/lib/env";

let cached: string | undefined;

export function tokenSecretFile(dataDir = env.DATA_DIR): string {
  // A runtime data path, not a build input: Turbopack must not trace the project through it.
  return path.join(/* turbopackIgnore: true */ dataDir, "secrets", "token-secret");
}

/** Reads (or creates) the generated secret; two processes racing to create it end up with the same one. */
export function ensureTokenSecretFile(file = tokenSecretFile()): string {
  fs.mkdirSync(/* turbopackIgnore: true */ path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(/* turbopackIgnore: true */ file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const secret = fs.readFileSync(/* turbopackIgnore: true */ file, "utf8").trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret (delete it to generate a new one)`);
  return secret;
}

/** Thrown in production when TOKEN_SECRET is unset: a secret generated per host breaks links across hosts. */
export class MissingTokenSecretError extends ConfigError {
  constructor() {
    super([
      {
        variable: "TOKEN_SECRET",
        message:
          "required when NODE_ENV=production. Every web server and worker must sign and check links, sessions and cookies with the same secret; " +
          "without it each host would generate its own, and links mailed by one would be refused by another. Set at least 32 random characters (openssl rand -base64 32).",
      },
    ]);
    this.name = "MissingTokenSecretError";
  }
}

export function tokenSecret(): string {
  if (cached) return cached;
  if (env.TOKEN_SECRET) return (cached = env.TOKEN_SECRET);
  if (env.NODE_ENV === "production") throw new MissingTokenSecretError();
  return (cached = ensureTokenSecretFile());
}
