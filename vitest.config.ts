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
          // Fixed so child processes (the digest CLI) sign and check the same links; fast retries and
          // short request spacing, so the live-source tests measure the spacing in fractions of a second.
          env: {
            TOKEN_SECRET: "integration-tests-token-secret-0123456789",
            DIGEST_RETRY_MS: "50",
            MAIL_FROM: "Trending Papers <digest@papers.test>",
            CONTACT_EMAIL: "ops@papers.test",
            ARXIV_MIN_INTERVAL_MS: "200",
            HF_MIN_INTERVAL_MS: "50",
            FETCH_RETRY_MS: "50",
            FETCH_TIMEOUT_MS: "1500",
            FETCH_MAX_RETRIES: "2",
            FETCH_MAX_RETRY_AFTER_MS: "5000",
            HARVEST_BACKFILL_DAYS: "3",
            HF_REFRESH_DAYS: "1",
            VOTE_LIMIT_VISITOR: "20",
            VOTE_LIMIT_IP: "50",
            API_LIMIT_IP: "40",
            MAIL_LIMIT_IP: "6",
            MAIL_LIMIT_HOURLY: "30",
          },
        },
      },
    ],
  },
});
