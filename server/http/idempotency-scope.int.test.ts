import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { concretePath, loadOperation } from "./route-modules";
import { ROUTES, routeSpec, type OperationId } from "./route-table";
import { apiTestDatabaseKind, callRoute, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";

// An Idempotency-Key belongs to the API key that sent it: another key of the same workspace (same
// or other environment) sending the same key and body runs its own request and never receives the
// first key's stored answer. Generated from the route table, so a new mutating route is covered.

let db: Db;
let cleanup: () => Promise<void>;
let storageDir: string;
let first: string; // test, "*"
let sibling: string; // test, "*", same workspace
let live: string; // live, "*", same workspace

beforeAll(async () => {
  storageDir = mkdtempSync(join(tmpdir(), "tic-idem-scope-"));
  process.env.STORAGE_DIR = storageDir;
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  first = (await mintKey(db, tenant.id, { environment: "test" })).apiKey;
  sibling = (await mintKey(db, tenant.id, { environment: "test" })).apiKey;
  live = (await mintKey(db, tenant.id, { environment: "live" })).apiKey;
});
afterAll(async () => {
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
});

const IDEMPOTENCY_CODES = ["idempotency_key_reused", "idempotency_key_mismatch", "idempotency_in_flight"];

async function send(operationId: OperationId, key: string, idempotencyKey: string, body: unknown) {
  const spec = ROUTES[operationId];
  const handler = await loadOperation(operationId);
  const { path, params } = concretePath(spec.path);
  // Uploads with an Idempotency-Key must declare their length (app/api/v1/assets/route.ts).
  const headers = { "idempotency-key": idempotencyKey, "content-length": String(Buffer.byteLength(JSON.stringify(body))) };
  const res = await callRoute(handler!, { method: spec.method, path, params, key, body, headers });
  const text = await res.text();
  return { status: res.status, replayed: res.headers.get("idempotent-replayed") === "true", text, code: text.startsWith("{") ? (JSON.parse(text) as { code?: string }).code : undefined };
}

describe("Idempotency-Key is scoped to the calling API key", () => {
  const mutating = (Object.keys(ROUTES) as OperationId[]).filter((id) => ROUTES[id].method !== "GET");

  for (const operationId of mutating) {
    it(`${operationId}: another key's (same and other environment) reuse never sees the first key's answer`, async () => {
      const idem = `scope-${operationId}`;
      const body = {};
      const original = await send(operationId, first, idem, body);
      expect(original.status, original.text).toBeLessThan(500);

      for (const [who, other] of [["same-environment key", sibling], ["live key", live]] as const) {
        const theirs = await send(operationId, other, idem, body);
        expect(theirs.replayed, `${who}: ${theirs.status} ${theirs.text}`).toBe(false);
        expect(IDEMPOTENCY_CODES, `${who}: ${theirs.text}`).not.toContain(theirs.code);
      }

      // The record is still there for the key that made it.
      const again = await send(operationId, first, idem, body);
      if (routeSpec(operationId).idempotencyReuseConflicts) expect(again.code).toBe("idempotency_key_reused");
      else expect(again.replayed, again.text).toBe(true);
    });
  }
});

describe("a key's secret is never replayed", () => {
  it("a narrower key replaying a '*' key creation gets its own answer, not the '*' key", async () => {
    const tenant = await seedTenant(db, { plan: "enterprise" });
    const root = (await mintKey(db, tenant.id, { scopes: ["*"] })).apiKey;
    const narrow = (await mintKey(db, tenant.id, { scopes: ["api_keys:write"] })).apiKey;
    const body = { name: "root", scopes: ["*"] };
    const created = await send("createApiKey", root, "mint-root", body);
    expect(created.status).toBe(201);
    const secret = (JSON.parse(created.text) as { apiKey: string }).apiKey;

    const replay = await send("createApiKey", narrow, "mint-root", body);
    expect(replay.text).not.toContain(secret);
    expect(replay.status).toBe(403);
    expect(replay.code).toBe("forbidden");
  });

  it("a test key replaying a live key creation gets no live secret", async () => {
    const tenant = await seedTenant(db, { plan: "enterprise" });
    const liveKey = (await mintKey(db, tenant.id, { environment: "live" })).apiKey;
    const testKey = (await mintKey(db, tenant.id, { environment: "test" })).apiKey;
    const body = { name: "prod", environment: "live", scopes: ["realtime:write"] };
    const created = await send("createApiKey", liveKey, "mint-live", body);
    expect(created.status).toBe(201);
    const secret = (JSON.parse(created.text) as { apiKey: string }).apiKey;
    expect(secret).toMatch(/^tic_live_/);

    const replay = await send("createApiKey", testKey, "mint-live", body);
    expect(replay.text).not.toContain("tic_live_");
    expect(replay.status).toBe(403);
  });

  it("the same key retrying a creation learns which key was made, without its secret; nothing stored holds it", async () => {
    const tenant = await seedTenant(db, { plan: "enterprise" });
    const key = (await mintKey(db, tenant.id)).apiKey;
    const body = { name: "retry me", scopes: ["credits:read"] };
    const created = await send("createApiKey", key, "mint-retry", body);
    const view = JSON.parse(created.text) as { id: string; apiKey: string; redactedKey: string };

    const retry = await send("createApiKey", key, "mint-retry", body);
    expect(retry.status).toBe(409);
    expect(retry.code).toBe("idempotency_key_reused");
    expect(retry.text).toContain(view.id);
    expect(retry.text).not.toContain(view.apiKey);

    const stored = await db.select({ body: idempotencyKeys.responseBody }).from(idempotencyKeys);
    for (const row of stored) expect(row.body ?? "").not.toMatch(/tic_(test|live)_[0-9a-z]{38}/);
  });
});
