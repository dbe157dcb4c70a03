import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { concretePath, loadOperation } from "./route-modules";
import { ROUTES, type OperationId } from "./route-table";
import { apiTestDatabaseKind, callRoute, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";

// A test (sandbox) key never sees or touches live resources: live keys, the live wallet, live usage.
// Another environment's key id answers exactly like another workspace's: 404.

let db: Db;
let cleanup: () => Promise<void>;
type Minted = Awaited<ReturnType<typeof mintKey>>;
let test: Minted;
let testOther: Minted;
let live: Minted;
let liveOther: Minted;
let foreign: Minted; // another workspace's live key

beforeAll(async () => {
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  test = await mintKey(db, tenant.id, { name: "sandbox admin", environment: "test" });
  testOther = await mintKey(db, tenant.id, { name: "sandbox ci", environment: "test" });
  live = await mintKey(db, tenant.id, { name: "prod admin", environment: "live" });
  liveOther = await mintKey(db, tenant.id, { name: "prod server", environment: "live" });
  foreign = await mintKey(db, (await seedTenant(db)).id, { environment: "live" });
});
afterAll(() => cleanup());

async function call(operationId: OperationId, key: string, pathParams: Record<string, string> = {}) {
  const spec = ROUTES[operationId];
  const { path, params } = concretePath(spec.path, pathParams);
  const res = await callRoute((await loadOperation(operationId))!, { method: spec.method, path, params, key });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data?: { id: string; environment: string }[] } };
}

describe("a test key and live resources", () => {
  it("lists only the sandbox's keys (no live key, no live spend)", async () => {
    const listed = await call("listApiKeys", test.apiKey);
    expect(listed.status).toBe(200);
    expect(listed.body.data!.map((k) => k.id).sort()).toEqual([test.id, testOther.id].sort());
    expect(listed.body.data!.every((k) => k.environment === "test")).toBe(true);
  });

  it("cannot revoke a live key: 404 like another workspace's key, and the live key keeps working", async () => {
    const sameTenantLive = await call("revokeApiKey", test.apiKey, { keyId: liveOther.id });
    const otherTenant = await call("revokeApiKey", test.apiKey, { keyId: foreign.id });
    expect(sameTenantLive.status).toBe(404);
    expect(otherTenant.status).toBe(404);
    expect({ ...sameTenantLive.body, error: String(sameTenantLive.body.error).replace(liveOther.id, "ID") }).toEqual({
      ...otherTenant.body,
      error: String(otherTenant.body.error).replace(foreign.id, "ID"),
    });
    expect((await call("getCreditBalance", liveOther.apiKey)).status).toBe(200);
  });

  it("sees the sandbox wallet and sandbox usage only", async () => {
    expect((await call("getCreditBalance", test.apiKey)).body).toMatchObject({ environment: "test" });
    expect((await call("listUsage", test.apiKey)).body).toMatchObject({ environment: "test" });
  });

  it("may still manage sandbox keys", async () => {
    expect((await call("revokeApiKey", test.apiKey, { keyId: testOther.id })).body).toMatchObject({ id: testOther.id, status: "revoked" });
  });
});

describe("a live key", () => {
  it("lists and manages the workspace's keys of both environments (it may mint either)", async () => {
    const listed = await call("listApiKeys", live.apiKey);
    expect(listed.body.data!.map((k) => k.id)).toEqual(expect.arrayContaining([test.id, live.id, liveOther.id]));
    const sandbox = await mintKey(db, (await call("getCreditBalance", live.apiKey)).body.tenantId as string, { environment: "test" });
    expect((await call("revokeApiKey", live.apiKey, { keyId: sandbox.id })).status).toBe(200);
  });
});
