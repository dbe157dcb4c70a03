import { randomBytes, randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/core/api-keys/key-format";
import type { Db } from "../db/client";
import { revokeApiKey } from "../services/api-keys";
import { loadOperation } from "./route-modules";
import { apiTestDatabaseKind, callRoute, mintKey, seedTenant, useTestDatabase } from "./testing/test-api";

// 10,000 malformed, random, unknown, revoked and expired bearer tokens: every answer is the same 401.

let db: Db;
let cleanup: () => Promise<void>;
let valid: string;
let revoked: string;
let expiring: string;

beforeAll(async () => {
  ({ db, cleanup } = await useTestDatabase(apiTestDatabaseKind()));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  valid = (await mintKey(db, tenant.id)).apiKey;
  const r = await mintKey(db, tenant.id);
  await revokeApiKey(db, tenant.id, r.id);
  revoked = r.apiKey;
  expiring = (await mintKey(db, tenant.id, { expiresAt: new Date(Date.now() + 1500).toISOString() })).apiKey;
  await new Promise((res) => setTimeout(res, 1600));
});
afterAll(() => cleanup());

const printable = (n: number) => Array.from({ length: n }, () => String.fromCharCode(randomInt(0x21, 0x7f))).join("");

function token(i: number): { header: string | null } {
  switch (i % 12) {
    case 0: return { header: `Bearer ${printable(randomInt(1, 120))}` };
    case 1: return { header: `Bearer tic_live_${printable(38)}` };
    case 2: return { header: `Bearer ${generateApiKey(i % 2 ? "live" : "test")}` }; // well-formed, unknown
    case 3: return { header: `Bearer ${valid.slice(0, randomInt(0, valid.length))}` }; // truncated
    case 4: { const p = randomInt(9, valid.length); return { header: `Bearer ${valid.slice(0, p)}${valid[p] === "a" ? "b" : "a"}${valid.slice(p + 1)}` }; }
    case 5: return { header: `Bearer ${revoked}` };
    case 6: return { header: `Bearer ${expiring}` };
    case 7: return { header: `Basic ${randomBytes(24).toString("base64")}` };
    case 8: return { header: `Bearer ${valid.toUpperCase()}` };
    case 9: return { header: i % 3 ? "Bearer " : "" };
    case 10: return { header: `Bearer ${Array.from(randomBytes(randomInt(1, 64)), (b) => (b > 0x20 && b !== 0x7f ? String.fromCharCode(b) : "x")).join("")}` };
    default: return { header: null };
  }
}

describe("bearer token fuzz", () => {
  it("answers only 401, with one uniform body, for 10,000 bad tokens", async () => {
    const handler = (await loadOperation("getCreditBalance"))!;
    const statuses = new Map<number, number>();
    const bodies = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const { header } = token(i);
      const res = await callRoute(handler, { path: "/api/v1/credits/balance", headers: header === null ? {} : { authorization: header } });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      bodies.add(await res.text());
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 10_000 });
    expect(bodies.size).toBe(1);
    // And the valid key still works (the fuzz did not lock anything out).
    expect((await callRoute(handler, { path: "/api/v1/credits/balance", key: valid })).status).toBe(200);
  });
});
