import { readdirSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NON_CONTRACT_PATHS, V1_ROUTE_FILES } from "@/app/api/v1/route-files";
import type { Db } from "../db/client";
import { routeTablePaths } from "./api-dispatch";
import { startApiServer } from "./node-adapter";
import { routeFileFor } from "./route-table";
import { apiTestDatabaseKind, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";

// The fast path the production server runs for /api/v1 (server/http/api-dispatch.ts), over real HTTP:
// the same answers as the route handlers under Next.js, including Next.js's own ones (405 with no
// body for an unexported method, HEAD, OPTIONS) and the catch-all's 404.

let db: Db;
let cleanup: () => Promise<void>;
let server: Server;
let base: string;
let key: string;
beforeAll(async () => {
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
  const started = await startApiServer(0);
  server = started.server;
  base = `http://127.0.0.1:${started.port}`;
  const tenant = await seedTenant(db, { plan: "enterprise" });
  key = (await mintKey(db, tenant.id)).apiKey;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await cleanup();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });

function routeFilesOnDisk(dir = "app/api/v1"): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? routeFilesOnDisk(path) : name === "route.ts" ? [relative(".", path)] : [];
  });
}

describe("/api/v1 dispatched straight to the route handlers", () => {
  it("serves every route of the route table, and every route file on disk", () => {
    const served = [...routeTablePaths(), ...NON_CONTRACT_PATHS].sort();
    expect(Object.keys(V1_ROUTE_FILES.routes).sort()).toEqual(served);
    expect(served.map(routeFileFor).sort()).toEqual(routeFilesOnDisk().sort());
  });

  it("answers a route with its handler's status, headers and body", async () => {
    const created = await call("/api/v1/avatars", { method: "POST", headers: { "content-type": "application/json", "x-request-id": "disp-1" }, body: JSON.stringify({ displayName: "Ada", sourceAssetId: null }) });
    const body = await created.json();
    expect([201, 422]).toContain(created.status);
    expect(created.headers.get("x-request-id")).toBe("disp-1");
    expect(created.headers.get("ratelimit-policy")).toMatch(/;w=/);
    const list = await call("/api/v1/avatars?limit=5");
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toBe("application/json");
    expect(await list.json()).toMatchObject({ data: expect.any(Array) });
    if (created.status === 201) {
      const one = await call(`/api/v1/avatars/${encodeURIComponent(body.id)}`);
      expect(await one.json()).toMatchObject({ id: body.id });
    }
  });

  it("refuses without a key in the contract's shape, naming the scheme", async () => {
    const res = await fetch(`${base}/api/v1/credits/balance`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect(await res.json()).toMatchObject({ status: 401, code: "unauthorized", retryable: false });
  });

  it("answers 404 not_found in JSON for an unknown /api/v1 path, whatever the method", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await call("/api/v1/nothing/here", { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: "not_found", status: 404 });
    }
  });

  it("answers 405 in JSON with Allow for a method the route does not serve", async () => {
    const res = await call("/api/v1/credits/balance", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await res.json()).toMatchObject({ code: "method_not_allowed" });
  });

  it("implements HEAD from GET (no body) and OPTIONS (204 with Allow), as Next.js does", async () => {
    const head = await call("/api/v1/credits/balance", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const options = await call("/api/v1/avatars", { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
  });

  it("refuses a body over the route's limit with 422 payload_too_large", async () => {
    const res = await call("/api/v1/avatars", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ displayName: "x".repeat(2 * 1024 * 1024) }) });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "payload_too_large" });
  });

  it("leaves to Next.js what it would redirect first (trailing or repeated slashes)", async () => {
    for (const path of ["/api/v1/avatars/", "/api/v1//avatars"]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error, path).toMatch(/^Only \/api\/v1 is served here/);
    }
  });
});
