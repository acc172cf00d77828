import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "lib/generated/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      // lib/env.ts is the only reader of process.env (configuration is validated once, there).
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration from lib/env.ts." }],
    },
  },
  {
    files: ["lib/env.ts", "prisma.config.ts", "scripts/**", "tests/**", "playwright.config.ts", "vitest.config.ts", "lib/services/**"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
