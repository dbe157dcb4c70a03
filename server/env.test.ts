import { describe, expect, it } from "vitest";
import { databaseKind, getEnv, sessionSecret } from "./env";

describe("environment", () => {
  it("the web server stops with a message naming a missing AUTH_SECRET; other processes need none", () => {
    const env = getEnv({} as NodeJS.ProcessEnv);
    expect(() => sessionSecret(env)).toThrow(/AUTH_SECRET/);
    expect(() => getEnv({ AUTH_SECRET: "short" } as unknown as NodeJS.ProcessEnv)).toThrow(/AUTH_SECRET/);
  });

  it("names an invalid DATABASE_URL", () => {
    expect(() => getEnv({ AUTH_SECRET: "x".repeat(32), DATABASE_URL: "mysql://x" } as unknown as NodeJS.ProcessEnv)).toThrow(/DATABASE_URL/);
  });

  it("reads API_RATE_LIMITS (JSON per plan) over the built-in plans, naming it when invalid", () => {
    const env = (v: string) => getEnv({ API_RATE_LIMITS: v } as unknown as NodeJS.ProcessEnv);
    const limits = env('{"free":{"keyPerSecond":1,"keyBurst":2,"tenantPerSecond":3,"tenantBurst":4}}').API_RATE_LIMITS;
    expect(limits.free?.keyBurst).toBe(2);
    expect(limits.pro).toBeDefined();
    expect(getEnv({} as NodeJS.ProcessEnv).API_RATE_LIMITS.free?.keyBurst).toBe(40);
    expect(() => env('{"free":{"keyPerSecond":-1}}')).toThrow(/API_RATE_LIMITS/);
    expect(() => env("{not json")).toThrow(/API_RATE_LIMITS: not JSON/);
  });

  it("keeps PUBLIC_BASE_URL without trailing slashes, so `${base}/path` never doubles one", () => {
    const base = (v: string) => getEnv({ PUBLIC_BASE_URL: v } as unknown as NodeJS.ProcessEnv).PUBLIC_BASE_URL;
    expect(base("https://avatars.example.com/")).toBe("https://avatars.example.com");
    expect(base("https://example.com/tic//")).toBe("https://example.com/tic");
    expect(() => base("not a url")).toThrow(/PUBLIC_BASE_URL/);
  });

  it("selects the driver from DATABASE_URL", () => {
    expect(databaseKind(undefined)).toBe("pglite");
    expect(databaseKind("postgres://postgres@127.0.0.1:5432/x")).toBe("postgres");
    expect(databaseKind("postgresql://u:p@ep-cool-1234.eu-central-1.aws.neon.tech/db?sslmode=require")).toBe("neon");
  });
});
