import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "../db/client";
import { readyAvatar } from "../services/live-sessions/testing/session-world";
import { createPgDatabase, mintKey, mintPublishableKey, seedTenant } from "./testing/test-api";
import { runCli, startInstance, type AppInstance } from "./testing/app-instances";

// Two app instances (real processes) on one PostgreSQL, with and without one Redis: what one instance
// allows or refuses, the other knows. Redis is TEST_REDIS_URL (default 127.0.0.1:6379, which
// scripts/setup.sh starts); PostgreSQL the integration suite's server.

const REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
// 6 at once, then one per 100 s: the test never waits for a refill.
const LIMITS = JSON.stringify({ tiny: { keyPerSecond: 0.01, keyBurst: 6, tenantPerSecond: 1000, tenantBurst: 1000 } });
// Far longer than the test: a key that stops working did so because it was invalidated, not expired.
const CACHE_TTL_MS = "60000";

const get = (instance: AppInstance, path: string, key: string) => fetch(`${instance.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

/** Polls `instance` until `path` answers `status` with `key`; the milliseconds it took. */
async function msUntil(instance: AppInstance, path: string, key: string, status: number, since: number): Promise<number> {
  for (;;) {
    const res = await get(instance, path, key);
    await res.body?.cancel();
    if (res.status === status) return Date.now() - since;
    if (Date.now() - since > 5_000) throw new Error(`still ${res.status} after 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each([
  ["with Redis", REDIS],
  ["without Redis (PostgreSQL NOTIFY, limits per instance)", undefined],
] as const)("two app instances %s", (_name, redisUrl) => {
  let database: { url: string; drop: () => Promise<void> };
  let handle: DbHandle;
  let a: AppInstance;
  let b: AppInstance;
  const env = () => ({ DATABASE_URL: database.url, REDIS_URL: redisUrl ?? "", API_RATE_LIMITS: LIMITS, API_KEY_CACHE_TTL_MS: CACHE_TTL_MS });

  beforeAll(async () => {
    database = await createPgDatabase("tic_instances");
    // Migrated here first, so the instances do not race to migrate it.
    handle = await openDatabase(database.url);
    [a, b] = await Promise.all([startInstance(env()), startInstance(env())]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await handle?.close();
    await database?.drop();
  });

  it(redisUrl ? "holds a key's rate limit across both instances" : "allows each instance the full limit, and says so in its log", async () => {
    const tenant = await seedTenant(handle.db, { plan: "tiny" });
    const { apiKey } = await mintKey(handle.db, tenant.id, { scopes: ["credits:read"] });
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      const res = await get(i % 2 ? b : a, "/api/v1/credits/balance", apiKey);
      await res.body?.cancel();
      statuses.push(res.status);
    }
    const allowed = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    if (redisUrl) {
      expect(allowed).toBe(6);
      for (const i of [a, b]) expect(i.log()).toContain("rate limits are shared through Redis");
    } else {
      expect(allowed).toBe(12);
      for (const i of [a, b]) expect(i.log()).toContain("rate limits are per process (REDIS_URL unset)");
    }
  });

  it("refuses a key revoked on one instance on the other within 1 s", async () => {
    const tenant = await seedTenant(handle.db, { plan: "enterprise" });
    const admin = await mintKey(handle.db, tenant.id, { scopes: ["api_keys:write"] });
    const doomed = await mintKey(handle.db, tenant.id, { scopes: ["credits:read"] });
    // Both instances have the key cached (valid) before it is revoked.
    for (const i of [a, b]) expect((await get(i, "/api/v1/credits/balance", doomed.apiKey)).status).toBe(200);
    const revoked = await fetch(`${a.url}/api/v1/api-keys/${doomed.id}`, { method: "DELETE", headers: { authorization: `Bearer ${admin.apiKey}` } });
    expect(revoked.status).toBe(200);
    const at = Date.now();
    expect(await msUntil(b, "/api/v1/credits/balance", doomed.apiKey, 401, at)).toBeLessThan(1_000);
    expect((await get(a, "/api/v1/credits/balance", doomed.apiKey)).status).toBe(401);
  });

  it("refuses a publishable key revoked on one instance on the other within 1 s", async () => {
    const tenant = await seedTenant(handle.db, { plan: "enterprise" });
    const admin = await mintKey(handle.db, tenant.id, { scopes: ["api_keys:write"] });
    const doomed = await mintPublishableKey(handle.db, tenant.id, { avatarIds: [await readyAvatar(handle.db, tenant.id)], allowedOrigins: ["https://shop.example"] });
    // Cached (valid) on both: it is authenticated, then refused the operation (403, not 401).
    for (const i of [a, b]) expect((await get(i, "/api/v1/credits/balance", doomed.apiKey)).status).toBe(403);
    const revoked = await fetch(`${a.url}/api/v1/api-keys/${doomed.id}`, { method: "DELETE", headers: { authorization: `Bearer ${admin.apiKey}` } });
    expect(revoked.status).toBe(200);
    expect(await msUntil(b, "/api/v1/credits/balance", doomed.apiKey, 401, Date.now())).toBeLessThan(1_000);
  });

  it("refuses the keys of a workspace suspended from the admin CLI on every instance within 1 s", async () => {
    const tenant = await seedTenant(handle.db, { plan: "enterprise" });
    const { apiKey } = await mintKey(handle.db, tenant.id, { scopes: ["credits:read"] });
    for (const i of [a, b]) expect((await get(i, "/api/v1/credits/balance", apiKey)).status).toBe(200);
    const cli = await runCli(["admin", "suspend", "--tenant", tenant.id], env());
    expect(cli.code, cli.out).toBe(0);
    const at = Date.now();
    for (const i of [a, b]) expect(await msUntil(i, "/api/v1/credits/balance", apiKey, 403, at)).toBeLessThan(1_000);
    const body = await (await get(b, "/api/v1/credits/balance", apiKey)).json();
    expect(body).toMatchObject({ code: "tenant_suspended" });
    expect((await runCli(["admin", "resume", "--tenant", tenant.id], env())).code).toBe(0);
    expect(await msUntil(b, "/api/v1/credits/balance", apiKey, 200, Date.now())).toBeLessThan(1_000);
  });
});
