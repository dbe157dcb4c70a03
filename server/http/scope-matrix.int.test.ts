import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_SCOPES, hasScope } from "@/core/api-keys/scopes";
import type { Db } from "../db/client";
import { ROUTES, type OperationId } from "./route-table";
import { concretePath, loadOperation } from "./route-modules";
import { apiTestDatabaseKind, callRoute, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";

// Generated from the route table: every route × every scope, 403 exactly where the scope is missing.

let db: Db;
let cleanup: () => Promise<void>;
const keys = new Map<string, string>();

beforeAll(async () => {
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  for (const scope of API_KEY_SCOPES) keys.set(scope, (await mintKey(db, tenant.id, { scopes: [scope], environment: "test" })).apiKey);
});
afterAll(() => cleanup());

describe("scope matrix", () => {
  for (const [operationId, spec] of Object.entries(ROUTES) as [OperationId, (typeof ROUTES)[OperationId]][]) {
    for (const scope of API_KEY_SCOPES) {
      const allowed = hasScope([scope], spec.scope);
      it(`${operationId} (${spec.scope}) with "${scope}" → ${allowed ? "not 403" : "403"}`, async () => {
        const handler = await loadOperation(operationId);
        expect(handler, `route file for ${operationId}`).toBeDefined();
        const { path, params } = concretePath(spec.path);
        const res = await callRoute(handler!, { method: spec.method, path, params, key: keys.get(scope)!, body: {} });
        const body = await res.text();
        if (allowed) {
          expect(res.status, body).not.toBe(403);
          expect(res.status, body).not.toBe(401);
        } else {
          expect(res.status, body).toBe(403);
          expect(JSON.parse(body)).toMatchObject({ code: "missing_scope", retryable: false, status: 403 });
        }
      });
    }
  }
});
