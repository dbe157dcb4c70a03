import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoute, json, parseJson } from "./api-route";
import { apiTestDatabaseKind, callRoute, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";
import { z } from "zod";
import type { Db } from "../db/client";
import { tenants } from "../db/schema";
import { eq } from "drizzle-orm";
import { clearApiKeyCache } from "../services/api-keys";
import { idempotencyKeys } from "../db/schema";
import { purgeExpiredIdempotencyKeys } from "./idempotency";

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  // getEnv() is read once per process, so the test plan is configured before the first request.
  process.env.API_RATE_LIMITS = JSON.stringify({ tiny: { keyPerSecond: 1, keyBurst: 3, tenantPerSecond: 100, tenantBurst: 100 } });
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
});
afterAll(() => cleanup());

const echo = apiRoute("createAvatar", async (req, ctx) => {
  const body = await parseJson(req, z.object({ displayName: z.string().min(1), n: z.number().optional() }).strict());
  return json(201, { ...body, tenant: ctx.tenant.id, env: ctx.key.environment, random: Math.random() });
});

describe("apiRoute", () => {
  it("authenticates, echoes the request id and validates bodies naming the field", async () => {
    const tenant = await seedTenant(db, { plan: "enterprise" });
    const { apiKey } = await mintKey(db, tenant.id, { scopes: ["avatars:write"] });
    const ok = await callRoute(echo, { method: "POST", path: "/api/v1/avatars", key: apiKey, body: { displayName: "A" }, headers: { "x-request-id": "abc-123" } });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("x-request-id")).toBe("abc-123");
    expect(ok.headers.get("ratelimit-policy")).toMatch(/;w=/);
    expect(await ok.json()).toMatchObject({ displayName: "A", tenant: tenant.id, env: "test" });

    const bad = await callRoute(echo, { method: "POST", path: "/api/v1/avatars", key: apiKey, body: { displayName: "" } });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ status: 422, code: "invalid_input", retryable: false, error: expect.stringContaining("displayName") });

    const unknown = await callRoute(echo, { method: "POST", path: "/api/v1/avatars", key: apiKey, body: { displayName: "x", colour: 1 } });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).error).toContain("colour");
  });

  it("answers one uniform 401 for missing, malformed and unknown keys", async () => {
    const bodies = await Promise.all(
      [null, "garbage", "tic_test_0000000000000000000000000000000000000000"].map(async (key) => {
        const r = await callRoute(echo, { method: "POST", path: "/api/v1/avatars", key, body: {} });
        expect(r.status).toBe(401);
        return JSON.stringify(await r.json());
      }),
    );
    expect(new Set(bodies).size).toBe(1);
  });

  it("refuses suspended tenants with 403", async () => {
    const tenant = await seedTenant(db);
    const { apiKey } = await mintKey(db, tenant.id);
    await db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, tenant.id));
    clearApiKeyCache();
    const r = await callRoute(echo, { method: "POST", path: "/api/v1/avatars", key: apiKey, body: { displayName: "A" } });
    expect(r.status).toBe(403);
    expect((await r.json()).code).toBe("tenant_suspended");
  });

  it("replays, conflicts and rejects per Idempotency-Key", async () => {
    const tenant = await seedTenant(db, { plan: "enterprise" });
    const { apiKey } = await mintKey(db, tenant.id);
    const send = (body: unknown, key = "idem-1") =>
      callRoute(echo, { method: "POST", path: "/api/v1/avatars", key: apiKey, body, headers: { "idempotency-key": key } });
    const first = await send({ displayName: "A" });
    const second = await send({ displayName: "A" });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    const different = await send({ displayName: "B" });
    expect(different.status).toBe(422);
    expect((await different.json()).code).toBe("idempotency_key_mismatch");
    const tooLong = await send({ displayName: "A" }, "k".repeat(181));
    expect(tooLong.status).toBe(422);
    expect((await tooLong.json()).error).toContain("Idempotency-Key");
  });

  it("rate-limits per key with 429, Retry-After and RateLimit headers", async () => {
    const tenant = await seedTenant(db, { plan: "tiny" });
    const { apiKey } = await mintKey(db, tenant.id);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await callRoute(echo, { method: "POST", path: "/api/v1/avatars", key: apiKey, body: { displayName: "A" } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([201, 201, 201]);
    expect(statuses[4]).toBe(429);
    expect(last!.headers.get("retry-after")).toBe("1");
    expect(last!.headers.get("ratelimit")).toMatch(/remaining=0/);
    expect(await last!.json()).toMatchObject({ code: "rate_limited", retryable: true });
  });

  it("answers 409 while the first request with the same Idempotency-Key is still running, then replays it", async () => {
    const tenant = await seedTenant(db, { plan: "enterprise" });
    const { apiKey } = await mintKey(db, tenant.id);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = apiRoute("createAvatar", async (req) => {
      await req.text();
      await gate;
      return json(201, { done: true });
    });
    const send = () => callRoute(slow, { method: "POST", path: "/api/v1/avatars", key: apiKey, body: { a: 1 }, headers: { "idempotency-key": "slow-1" } });
    const first = send();
    await new Promise((r) => setTimeout(r, 200));
    const second = await send();
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: "idempotency_in_flight", retryable: true });
    release();
    expect((await first).status).toBe(201);
    const third = await send();
    expect(third.status).toBe(201);
    expect(third.headers.get("idempotent-replayed")).toBe("true");
  });

  it("keeps idempotency keys 24 hours, then purges them", async () => {
    const tenant = await seedTenant(db, { plan: "enterprise" });
    const { apiKey } = await mintKey(db, tenant.id);
    await callRoute(echo, { method: "POST", path: "/api/v1/avatars", key: apiKey, body: { displayName: "A" }, headers: { "idempotency-key": "keep-1" } });
    const [row] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, "keep-1"));
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 1000);
    expect(await purgeExpiredIdempotencyKeys(db, new Date(Date.now() + 23 * 3600 * 1000))).toBe(0);
    expect(await purgeExpiredIdempotencyKeys(db, new Date(Date.now() + 25 * 3600 * 1000))).toBeGreaterThanOrEqual(1);
  });
});
