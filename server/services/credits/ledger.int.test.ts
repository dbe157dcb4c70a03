import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../db/client";
import { apiKeys, ledgerEntries, reservations, usageEvents, wallets } from "../../db/schema";
import { AppError } from "../../errors";
import { ensureSweeper } from "../../http/background";
import { resetProcessState } from "../../process-state";
import { createPgDatabase, mintKey, seedTenant } from "../../http/testing/test-api";
import { growReservation, renewReservation, sweepExpiredReservations } from "./hold-lifetime";
import { grantCredits, reserveCredits, settleReservation, voidReservation } from "./ledger";
import { getCreditBalance, MICROS_PER_SECOND } from "./wallets";

const S = MICROS_PER_SECOND;

async function invariants(db: Db, tenantId: string, environment: "test" | "live") {
  const [w] = await db.select().from(wallets).where(and(eq(wallets.tenantId, tenantId), eq(wallets.environment, environment)));
  const [pending] = await db
    .select({ sum: sql<string>`coalesce(sum(${reservations.amountMicros}), 0)` })
    .from(reservations)
    .where(and(eq(reservations.walletId, w!.id), eq(reservations.status, "pending")));
  const [ledger] = await db
    .select({
      granted: sql<string>`coalesce(sum(case when kind = 'grant' then amount_micros end), 0)`,
      used: sql<string>`coalesce(sum(case when kind = 'settle' then amount_micros end), 0)`,
    })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.walletId, w!.id));
  expect(w!.availableMicros).toBeGreaterThanOrEqual(0);
  expect(w!.grantedMicros).toBe(w!.availableMicros + w!.reservedMicros + w!.usedMicros);
  expect(w!.reservedMicros).toBe(Number(pending!.sum));
  expect(w!.grantedMicros).toBe(Number(ledger!.granted));
  expect(w!.usedMicros).toBe(Number(ledger!.used));
  return w!;
}

function codeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === "fulfilled") return "ok";
  return result.reason instanceof AppError ? result.reason.code : `unexpected: ${String(result.reason)}`;
}

function count(results: PromiseSettledResult<unknown>[]) {
  const out: Record<string, number> = {};
  for (const r of results) out[codeOf(r)] = (out[codeOf(r)] ?? 0) + 1;
  return out;
}

for (const kind of ["postgres", "pglite"] as const) {
  describe(`credit ledger on ${kind}`, () => {
    let db: Db;
    let close: () => Promise<void>;
    let url = "";
    beforeAll(async () => {
      if (kind === "postgres") {
        const created = await createPgDatabase();
        url = created.url;
        process.env.DATABASE_POOL_MAX = "20";
        const handle = await openDatabase(url);
        db = handle.db;
        close = async () => {
          await handle.close();
          await created.drop();
        };
      } else {
        const handle = await openDatabase(undefined, { pgliteDir: "memory://" });
        db = handle.db;
        close = handle.close;
      }
    });
    afterAll(async () => {
      await resetProcessState(); // the sweeper a test started
      await close();
    });

    it("grants, reserves, settles with release, voids, and refuses over-settlement", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 10 * S, reason: "admin" });
      const a = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 4 * S, purpose: "realtime_turn" });
      await expect(settleReservation(db, { tenantId: t.id, reservationId: a.id, actualMicros: 5 * S })).rejects.toMatchObject({ code: "invalid_input" });
      expect(await settleReservation(db, { tenantId: t.id, reservationId: a.id, actualMicros: 3 * S })).toMatchObject({ releasedMicros: S });
      await expect(voidReservation(db, { tenantId: t.id, reservationId: a.id })).rejects.toMatchObject({ code: "conflict" });
      const b = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 2 * S, purpose: "realtime_turn" });
      await voidReservation(db, { tenantId: t.id, reservationId: b.id });
      const balance = await getCreditBalance(db, t.id, "live");
      expect(balance).toMatchObject({ availableCreditMicros: 7 * S, reservedCreditMicros: 0, lifetimeUsedCreditMicros: 3 * S, lifetimeGrantedCreditMicros: 10 * S });
      await invariants(db, t.id, "live");
      // Another tenant's reservation is not found, never touched.
      const other = await seedTenant(db);
      const c = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: S, purpose: "realtime_turn" });
      await expect(voidReservation(db, { tenantId: other.id, reservationId: c.id })).rejects.toMatchObject({ code: "not_found" });
    });

    it("grants once per reason when asked (webhook retries)", async () => {
      const t = await seedTenant(db);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 5 * S, reason: "stripe:cs_1", once: true })),
      );
      expect(results.filter((r) => r.granted)).toHaveLength(1);
      expect((await invariants(db, t.id, "live")).grantedMicros).toBe(5 * S);
    });

    it("200 concurrent 5 s reservations against 50 s: exactly 10 succeed, 190 get 402", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 50 * S, reason: "admin" });
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, () => reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 5 * S, purpose: "realtime_turn" })),
      );
      expect(count(results)).toEqual({ ok: 10, insufficient_credits: 190 });
      const w = await invariants(db, t.id, "live");
      expect(w.availableMicros).toBe(0);
      expect(w.reservedMicros).toBe(50 * S);
    });

    it("100 concurrent settle/void calls on one reservation: one posting", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 10 * S, reason: "admin" });
      const r = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 5 * S, purpose: "realtime_turn" });
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) =>
          i % 2 ? settleReservation(db, { tenantId: t.id, reservationId: r.id, actualMicros: 3 * S }) : voidReservation(db, { tenantId: t.id, reservationId: r.id }),
        ),
      );
      expect(count(results)).toEqual({ ok: 1, conflict: 99 });
      const postings = await db
        .select({ kind: ledgerEntries.kind })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.reservationId, r.id), sql`${ledgerEntries.kind} in ('settle', 'void', 'expire')`));
      expect(postings).toHaveLength(1);
      await invariants(db, t.id, "live");
    });

    it("100 concurrent turns on a key with a spend limit never pass it", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 1000 * S, reason: "admin" });
      const key = await mintKey(db, t.id, { environment: "live", spendLimitCreditMicros: 12 * S });
      // Each turn reserves 2 s and settles 1.5 s; spent + held must stay ≤ 12 s throughout.
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, async () => {
          const r = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 2 * S, apiKeyId: key.id, purpose: "realtime_turn" });
          await settleReservation(db, { tenantId: t.id, reservationId: r.id, actualMicros: 1.5 * S });
        }),
      );
      const counts = count(results);
      expect(Object.keys(counts).sort()).toEqual(["ok", "spend_limit_exceeded"]);
      const [k] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
      expect(k!.heldCreditMicros).toBe(0);
      expect(k!.spentCreditMicros).toBe(counts.ok! * 1.5 * S);
      expect(k!.spentCreditMicros).toBeLessThanOrEqual(12 * S);
      // A further turn that would pass the limit is refused even though the wallet has credits.
      const headroom = 12 * S - k!.spentCreditMicros;
      await expect(reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: headroom + 1, apiKeyId: key.id, purpose: "realtime_turn" })).rejects.toMatchObject({ code: "spend_limit_exceeded" });
      await invariants(db, t.id, "live");
    });

    it("the sweeper releases expired holds once, however many sweepers run", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 10 * S, reason: "admin" });
      for (let i = 0; i < 5; i++) await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: S, purpose: "realtime_turn", ttlMs: -1 });
      const released = await Promise.all(Array.from({ length: 4 }, () => sweepExpiredReservations(db)));
      expect(released.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
      const w = await invariants(db, t.id, "live");
      expect(w.reservedMicros).toBe(0);
      expect(w.availableMicros).toBe(10 * S);
    });

    it("settling a hold the sweeper expired still debits the wallet and the key, and records the usage", async () => {
      // A turn whose hold lapsed (its process stalled past the lifetime) still bills what it sent.
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 10 * S, reason: "admin" });
      const key = await mintKey(db, t.id, { environment: "live" });
      const r = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 5 * S, apiKeyId: key.id, purpose: "realtime_turn", ttlMs: -1 });
      expect(await sweepExpiredReservations(db)).toBeGreaterThanOrEqual(1);
      const settled = await settleReservation(db, { tenantId: t.id, reservationId: r.id, actualMicros: 3 * S, usage: { kind: "realtime_turn", renderedMs: 3000 } });
      expect(settled).toMatchObject({ status: "settled", settledMicros: 3 * S });
      const w = await invariants(db, t.id, "live");
      expect(w).toMatchObject({ usedMicros: 3 * S, availableMicros: 7 * S, reservedMicros: 0 });
      const [k] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
      expect(k).toMatchObject({ spentCreditMicros: 3 * S, heldCreditMicros: 0 });
      const usage = await db.select().from(usageEvents).where(eq(usageEvents.tenantId, t.id));
      expect(usage.reduce((n, u) => n + u.creditMicros, 0)).toBe(3 * S);
      const [row] = await db.select().from(reservations).where(eq(reservations.id, r.id));
      expect(row).toMatchObject({ status: "settled", settledMicros: 3 * S });
      // Still exactly once.
      await expect(settleReservation(db, { tenantId: t.id, reservationId: r.id, actualMicros: 3 * S })).rejects.toMatchObject({ code: "conflict" });
    });

    it("a renewed hold outlives its lifetime; one that stops being renewed is charged the usage it recorded", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 10 * S, reason: "admin" });
      const key = await mintKey(db, t.id, { environment: "live" });
      const live = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 4 * S, apiKeyId: key.id, purpose: "realtime_turn", ttlMs: 1_000 });
      const dead = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 4 * S, apiKeyId: key.id, purpose: "realtime_turn", ttlMs: 1_000 });
      // Both report progress; only `live` keeps renewing. A sweep 2 s later finds only `dead` due.
      expect(await renewReservation(db, { tenantId: t.id, reservationId: dead.id, ttlMs: 1_000, progressMicros: 1.5 * S })).toBe(true);
      expect(await renewReservation(db, { tenantId: t.id, reservationId: live.id, ttlMs: 60_000, progressMicros: 0.5 * S })).toBe(true);
      // Progress never goes back and never passes the hold.
      expect(await renewReservation(db, { tenantId: t.id, reservationId: dead.id, ttlMs: 1_000, progressMicros: S })).toBe(true);
      expect(await sweepExpiredReservations(db, new Date(Date.now() + 2_000))).toBe(1);
      const rows = await db.select().from(reservations).where(eq(reservations.tenantId, t.id));
      expect(rows.find((r) => r.id === live.id)).toMatchObject({ status: "pending" });
      expect(rows.find((r) => r.id === dead.id)).toMatchObject({ status: "expired", settledMicros: 1.5 * S });
      expect(await renewReservation(db, { tenantId: t.id, reservationId: dead.id, ttlMs: 60_000 })).toBe(false);
      const w = await invariants(db, t.id, "live");
      expect(w).toMatchObject({ usedMicros: 1.5 * S, reservedMicros: 4 * S, availableMicros: 4.5 * S });
      const [k] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
      expect(k).toMatchObject({ spentCreditMicros: 1.5 * S, heldCreditMicros: 4 * S });
      const usage = await db.select().from(usageEvents).where(eq(usageEvents.tenantId, t.id));
      expect(usage.map((u) => u.creditMicros)).toEqual([1.5 * S]);
      // The owner settling late owes only what the sweeper did not charge.
      expect(await settleReservation(db, { tenantId: t.id, reservationId: dead.id, actualMicros: 2 * S })).toMatchObject({ settledMicros: 2 * S, shortfallMicros: 0 });
      expect((await invariants(db, t.id, "live")).usedMicros).toBe(2 * S);
      // A hold voided after it expired has nothing left to release.
      const lapsed = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: S, purpose: "realtime_turn", ttlMs: -1 });
      await sweepExpiredReservations(db);
      expect(await voidReservation(db, { tenantId: t.id, reservationId: lapsed.id })).toMatchObject({ status: "expired", releasedMicros: 0 });
      await settleReservation(db, { tenantId: t.id, reservationId: live.id, actualMicros: S });
      expect(await invariants(db, t.id, "live")).toMatchObject({ usedMicros: 3 * S, reservedMicros: 0, availableMicros: 7 * S });
    });

    it("a hold grows as far as the balance and the key's spend limit allow, then is refused with the code that ran out", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 10 * S, reason: "admin" });
      const key = await mintKey(db, t.id, { environment: "live", spendLimitCreditMicros: 6 * S });
      const r = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 2 * S, apiKeyId: key.id, purpose: "realtime_turn" });
      const grow = (byMicros: number) => growReservation(db, { tenantId: t.id, reservationId: r.id, byMicros, minMicros: 0.2 * S, ttlMs: 60_000 });
      expect(await grow(3 * S)).toEqual({ amountMicros: 5 * S, grownMicros: 3 * S });
      // Only 1 s of the key's limit is left: that much is granted, then nothing.
      expect(await grow(3 * S)).toEqual({ amountMicros: 6 * S, grownMicros: S });
      await expect(grow(S)).rejects.toMatchObject({ code: "spend_limit_exceeded" });
      await settleReservation(db, { tenantId: t.id, reservationId: r.id, actualMicros: 5.5 * S });
      await expect(grow(S)).rejects.toMatchObject({ code: "conflict" });
      // Without a key limit, the wallet's balance is what runs out (4.5 s left).
      const r2 = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 4 * S, purpose: "realtime_turn" });
      expect(await growReservation(db, { tenantId: t.id, reservationId: r2.id, byMicros: 5 * S, minMicros: 0.2 * S, ttlMs: 60_000 })).toEqual({ amountMicros: 4.5 * S, grownMicros: 0.5 * S });
      await expect(growReservation(db, { tenantId: t.id, reservationId: r2.id, byMicros: S, minMicros: 0.2 * S, ttlMs: 60_000 })).rejects.toMatchObject({ code: "insufficient_credits" });
      const w = await invariants(db, t.id, "live");
      expect(w).toMatchObject({ availableMicros: 0, reservedMicros: 4.5 * S, usedMicros: 5.5 * S });
      const [k] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
      expect(k).toMatchObject({ spentCreditMicros: 5.5 * S, heldCreditMicros: 0 });
    });

    it("settling an expired hold whose balance was spent meanwhile debits what is left and reports the shortfall", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 5 * S, reason: "admin" });
      const r = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 5 * S, purpose: "realtime_turn", ttlMs: -1 });
      await sweepExpiredReservations(db);
      const other = await reserveCredits(db, { tenantId: t.id, environment: "live", amountMicros: 4 * S, purpose: "realtime_turn" });
      expect(await settleReservation(db, { tenantId: t.id, reservationId: r.id, actualMicros: 3 * S })).toMatchObject({ settledMicros: S, shortfallMicros: 2 * S });
      await settleReservation(db, { tenantId: t.id, reservationId: other.id, actualMicros: 4 * S });
      expect(await invariants(db, t.id, "live")).toMatchObject({ availableMicros: 0, usedMicros: 5 * S });
      const [entry] = await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.reservationId, r.id), eq(ledgerEntries.kind, "settle")));
      expect(entry).toMatchObject({ amountMicros: S, metadata: { shortfallMicros: 2 * S } });
    });

    it.runIf(kind === "postgres")("a SIGKILLed process's pending reservations are released by the background sweeper, charging the usage they recorded", async () => {
      const t = await seedTenant(db);
      await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: 10 * S, reason: "admin" });
      const script = fileURLToPath(new URL("./testing/reserve-and-hang.ts", import.meta.url));
      const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script, url, t.id, "3", "1500", String(0.25 * S)], {
        env: { ...process.env, LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("ready")) resolve();
        });
        child.on("exit", (code) => reject(new Error(`child exited early with ${code}: ${out}`)));
      });
      child.kill("SIGKILL");
      expect((await getCreditBalance(db, t.id, "live")).reservedCreditMicros).toBe(3 * S);
      // The API process's periodic sweeper (every 250 ms here) must release them within TTL + a few passes.
      ensureSweeper(db, 250);
      const started = Date.now();
      while ((await getCreditBalance(db, t.id, "live")).reservedCreditMicros > 0) {
        if (Date.now() - started > 10_000) throw new Error("holds of the killed process were not released within 10 s");
        await new Promise((r) => setTimeout(r, 100));
      }
      const w = await invariants(db, t.id, "live");
      // What each dead turn had streamed (its last heartbeat) is billed; the rest is released.
      expect(w.usedMicros).toBe(0.75 * S);
      expect(w.availableMicros).toBe(9.25 * S);
      const expired = await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.tenantId, t.id), eq(ledgerEntries.kind, "expire")));
      expect(expired).toHaveLength(3);
    });
  });
}
