import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("fills defaults for a bare environment", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, APP_URL: "http://localhost:3000", DATA_DIR: ".data" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).toMatchObject({ MAIL_LIMIT_IP: 10, MAIL_LIMIT_HOURLY: 200 });
  });

  it("points APP_URL at the port the site listens on until it is set", () => {
    expect(parseEnv({ PORT: "3300" }).APP_URL).toBe("http://localhost:3300");
    expect(parseEnv({ PORT: "3300", APP_URL: "https://papers.example.org" }).APP_URL).toBe("https://papers.example.org");
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
    [{ MAIL_LIMIT_IP: "ten" }, "MAIL_LIMIT_IP"],
  ])("stops on %o naming %s", (source, variable) => {
    expect(() => parseEnv(source)).toThrow(new RegExp(`^Invalid configuration:\\n  ${variable}:`));
  });
});

describe("ConfigError", () => {
  it("names every bad variable", () => {
    let error: unknown;
    try {
      parseEnv({ PORT: "eighty", DIGEST_SIZE: "abc" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.variable)).toEqual(["PORT", "DIGEST_SIZE"]);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}PORT: .+\n {2}DIGEST_SIZE: /);
  });
});

describe("env", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function freshEnv() {
    vi.resetModules();
    return import("@/lib/env");
  }

  it("is parsed on first use, not at import, and a bad value throws ConfigError there", async () => {
    vi.stubEnv("DIGEST_SIZE", "abc");
    const config = await freshEnv();
    expect(() => config.env.DIGEST_SIZE).toThrow(config.ConfigError);
    expect(() => config.env.PORT).toThrow(/^Invalid configuration:\n {2}DIGEST_SIZE:/);
  });

  it("reads process.env as it is at first use, then keeps what it read", async () => {
    vi.stubEnv("DIGEST_SIZE", "4");
    const { env } = await freshEnv();
    vi.stubEnv("DIGEST_SIZE", "5");
    expect(env.DIGEST_SIZE).toBe(5);
    vi.stubEnv("DIGEST_SIZE", "6");
    expect(env).toMatchObject({ DIGEST_SIZE: 5 });
    expect("DIGEST_SIZE" in env).toBe(true);
  });
});
