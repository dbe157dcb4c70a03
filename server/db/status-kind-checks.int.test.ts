import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/core/ids/new-id";
import { TEST_DATABASES, type TestDatabase } from "../testing/databases";
import type { Db } from "./client";
import { apiKeys, assets, avatars, idempotencyKeys, ledgerEntries, reservations, tenants, usageEvents, wallets } from "./schema";

type Parents = { tenantId: string; walletId: string; apiKeyId: string };
type Case = {
  constraint: string;
  /** Inserts a row whose checked column holds `value` (all other columns valid). */
  insert: (db: Db, p: Parents, value: string) => Promise<unknown>;
  valid: string;
};

const hour = () => new Date(Date.now() + 3_600_000);
const cases: Case[] = [
  {
    constraint: "api_keys_kind_check",
    valid: "publishable",
    insert: (db, p, v) => db.insert(apiKeys).values({ id: newId("key"), tenantId: p.tenantId, name: "k", environment: "test", kind: v as never, keyHash: newId("hash"), redactedKey: "tic_pub_test_…", scopes: ["realtime:write"] }),
  },
  {
    constraint: "tenants_status_check",
    valid: "suspended",
    insert: (db, _p, v) => db.insert(tenants).values({ id: newId("ten"), slug: newId("slug"), name: "T", status: v as never }),
  },
  {
    constraint: "reservations_status_check",
    valid: "pending",
    insert: (db, p, v) =>
      db.insert(reservations).values({ id: newId("res"), tenantId: p.tenantId, walletId: p.walletId, amountMicros: 1, purpose: "lipsync", expiresAt: hour(), status: v as never }),
  },
  {
    constraint: "reservations_purpose_check",
    valid: "realtime_turn",
    insert: (db, p, v) =>
      db.insert(reservations).values({ id: newId("res"), tenantId: p.tenantId, walletId: p.walletId, amountMicros: 1, purpose: v as never, expiresAt: hour() }),
  },
  {
    constraint: "ledger_entries_kind_check",
    valid: "grant",
    insert: (db, p, v) => db.insert(ledgerEntries).values({ tenantId: p.tenantId, walletId: p.walletId, kind: v as never, amountMicros: 1 }),
  },
  ...(["kind", "status"] as const).map((column) => ({
    constraint: `assets_${column}_check`,
    valid: column === "kind" ? "audio" : "pending_upload",
    insert: (db: Db, p: Parents, v: string) =>
      db.insert(assets).values({
        id: newId("ast"), tenantId: p.tenantId, kind: "image", status: "ready", contentType: "image/png", sizeBytes: 1,
        storageKey: newId("key"), publicToken: newId("tok"), [column]: v as never,
      }),
  })),
  ...(["sourceKind", "status"] as const).map((column) => ({
    constraint: column === "sourceKind" ? "avatars_source_kind_check" : "avatars_status_check",
    valid: column === "sourceKind" ? "video" : "preprocessing",
    insert: (db: Db, p: Parents, v: string) =>
      db.insert(avatars).values({ id: newId("ava"), tenantId: p.tenantId, displayName: "A", sourceKind: "image", modelId: "default", [column]: v as never }),
  })),
  {
    constraint: "idempotency_keys_state_check",
    valid: "done",
    insert: (db, p, v) =>
      db.insert(idempotencyKeys).values({ tenantId: p.tenantId, apiKeyId: p.apiKeyId, key: newId("idem"), method: "POST", path: "/x", requestHash: "h", state: v as never, expiresAt: hour() }),
  },
  {
    constraint: "usage_events_kind_check",
    valid: "lipsync",
    insert: (db, p, v) => db.insert(usageEvents).values({ tenantId: p.tenantId, environment: "test", kind: v as never, renderedMs: 1, creditMicros: 1 }),
  },
];

/** The database's own message for a refused row, wherever the driver wrapper put it. */
async function refusal(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(" / ");
  }
  return "accepted";
}

// A status or kind the code never writes (a typo in raw SQL, a value from another build) is refused
// by the database itself, on both drivers.
describe.each(TEST_DATABASES)("status and kind CHECK constraints on %s", (_name, open) => {
  let t: TestDatabase;
  let parents: Parents;

  beforeAll(async () => {
    t = await open();
    const tenantId = newId("ten");
    await t.db.insert(tenants).values({ id: tenantId, slug: newId("slug"), name: "Checks" });
    const walletId = newId("wal");
    await t.db.insert(wallets).values({ id: walletId, tenantId, environment: "test" });
    const apiKeyId = newId("key");
    await t.db.insert(apiKeys).values({ id: apiKeyId, tenantId, name: "k", environment: "test", keyHash: newId("hash"), redactedKey: "tic_test_…", scopes: ["*"] });
    parents = { tenantId, walletId, apiKeyId };
  });
  afterAll(() => t?.close());

  it.each(cases.map((c) => [c.constraint, c] as const))("%s refuses a value outside the list and takes one on it", async (constraint, c) => {
    expect(await refusal(c.insert(t.db, parents, "bogus"))).toContain(`violates check constraint "${constraint}"`);
    expect(await refusal(c.insert(t.db, parents, c.valid))).toBe("accepted");
  });
});
