import { afterEach, describe, expect, it, vi } from "vitest";
import { resetProcessState } from "@/server/process-state";

// The route reads the process-wide database, so each case loads it fresh with its own environment.
async function loadRoute(env: Record<string, string>) {
  vi.resetModules();
  await resetProcessState();
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  return import("@/app/api/health/route");
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await resetProcessState();
});

describe("GET /api/health", () => {
  it("answers 200 with version and the driver when the database is up", async () => {
    const { GET } = await loadRoute({ AUTH_SECRET: "x".repeat(32), DATABASE_URL: "", PGLITE_DATA_DIR: "memory://" });
    const res = await GET();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "ok", database: { status: "ok", driver: "pglite" } });
    expect(body.version).toMatch(/\d+\.\d+\.\d+/);
  });

  it("answers 503 naming the problem when DATABASE_URL is unreachable", async () => {
    const { GET } = await loadRoute({ AUTH_SECRET: "x".repeat(32), DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
    const res = await GET();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", database: { status: "unreachable" } });
  });
});
