import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // Fixed so child processes (the digest CLI) sign and check the same links; fast retries.
          env: { TOKEN_SECRET: "integration-tests-token-secret-0123456789", DIGEST_RETRY_MS: "50", MAIL_FROM: "Trending Papers <digest@papers.test>" },
        },
      },
    ],
  },
});
