import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("fills defaults for a bare environment", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, APP_URL: "http://localhost:3000", DATA_DIR: ".data" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.MAIL_LIMIT_HOURLY).toBe(200);
  });

  it("treats an empty DATABASE_URL as unset (embedded Postgres)", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ APP_URL: "not a url" }, "APP_URL"],
    [{ DATABASE_URL: "postgres is here" }, "DATABASE_URL"],
    [{ INGEST_BATCH_SIZE: "0" }, "INGEST_BATCH_SIZE"],
    [{ MAIL_LIMIT_HOURLY: "0" }, "MAIL_LIMIT_HOURLY"],
  ])("stops on %o naming %s", (source, variable) => {
    expect(() => parseEnv(source)).toThrow(new RegExp(`^Invalid configuration:\\n  ${variable}:`));
  });
});
