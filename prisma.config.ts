// Prisma CLI configuration. The JavaScript schema engine runs offline (the native one would be
// downloaded from Prisma's servers); the CLI is used only to generate the client and to turn
// schema.prisma into SQL (`prisma migrate diff --from-empty --to-schema-datamodel`), which the
// drift test compares with the committed migrations. lib/db/migrate.ts applies migrations.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The schema's `url = env("DATABASE_URL")` must resolve or the CLI falls back to downloading the
// native query engine; commands that never connect get a placeholder.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/postgres";
// No update checks or telemetry: the CLI runs offline here and in CI.
process.env.CHECKPOINT_DISABLE ??= "1";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 50 });
  },
});
