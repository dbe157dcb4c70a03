import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { apiKeys, ledgerEntries, reservations, wallets } from "../../db/schema";
import { AppError } from "../../errors";
import { explainNotPending, positiveMicros, recordUsage, release, takeAvailable } from "./ledger-postings";

// How long a hold lives. A live turn renews its hold with a heartbeat (renewReservation), which also
// records the usage it has reached in `settled_micros` while the reservation is pending; a turn
// whose speech runs past its hold grows it (growReservation). The sweeper expires holds that were
// not renewed in time — their process died — and charges the usage last recorded, so a crash
// mid-stream bills what was sent up to the last heartbeat and releases the rest.

/**
 * A live hold's heartbeat: pushes a pending reservation's expiry to now + `ttlMs` and records
 * `progressMicros` (what the client has been given; it only grows, up to the amount). Answers false
 * when the reservation is no longer pending (settled, voided, or expired by the sweeper).
 */
export async function renewReservation(db: Db, input: { tenantId: string; reservationId: string; ttlMs: number; progressMicros?: number }): Promise<boolean> {
  const progress = Math.max(0, Math.floor(input.progressMicros ?? 0));
  const rows = await db
    .update(reservations)
    .set({
      expiresAt: new Date(Date.now() + input.ttlMs),
      settledMicros: sql`least(${reservations.amountMicros}, greatest(coalesce(${reservations.settledMicros}, 0), ${progress}))`,
    })
    .where(and(eq(reservations.id, input.reservationId), eq(reservations.tenantId, input.tenantId), eq(reservations.status, "pending")))
    .returning({ id: reservations.id });
  return rows.length > 0;
}

/**
 * Grows a pending hold by up to `byMicros` — as far as the wallet's balance and the key's spend
 * limit allow, but at least `minMicros` — and renews it for `ttlMs`. Refused with 402
 * insufficient_credits / spend_limit_exceeded (whichever ran out) when not even `minMicros` is
 * left, and 409 conflict when the hold is no longer pending.
 */
export async function growReservation(
  db: Db,
  input: { tenantId: string; reservationId: string; byMicros: number; minMicros: number; ttlMs: number },
): Promise<{ amountMicros: number; grownMicros: number }> {
  positiveMicros(input.byMicros, "byMicros");
  positiveMicros(input.minMicros, "minMicros");
  return db.transaction(async (tx) => {
    // Lock order as everywhere: reservation → api key → wallet.
    const [res] = await tx
      .select()
      .from(reservations)
      .where(and(eq(reservations.id, input.reservationId), eq(reservations.tenantId, input.tenantId), eq(reservations.status, "pending")))
      .for("update");
    if (!res) return explainNotPending(tx, input.tenantId, input.reservationId);
    let grant = input.byMicros;
    let binding: "insufficient_credits" | "spend_limit_exceeded" = "insufficient_credits";
    if (res.apiKeyId) {
      const [key] = await tx
        .select({ limit: apiKeys.spendLimitCreditMicros, spent: apiKeys.spentCreditMicros, held: apiKeys.heldCreditMicros })
        .from(apiKeys)
        .where(and(eq(apiKeys.id, res.apiKeyId), eq(apiKeys.tenantId, res.tenantId)))
        .for("update");
      if (key && key.limit !== null && key.limit - key.spent - key.held < grant) {
        grant = Math.max(0, key.limit - key.spent - key.held);
        binding = "spend_limit_exceeded";
      }
    }
    const [wallet] = await tx.select({ available: wallets.availableMicros }).from(wallets).where(eq(wallets.id, res.walletId)).for("update");
    if (wallet!.available < grant) {
      grant = wallet!.available;
      binding = "insufficient_credits";
    }
    if (grant < input.minMicros) {
      throw binding === "spend_limit_exceeded"
        ? new AppError("spend_limit_exceeded", "This API key's spend limit was reached while the turn was speaking; raise the key's limit at /platform/api-keys or send shorter text.", { retryable: false })
        : new AppError("insufficient_credits", "Credits ran out while the turn was speaking; top up at /platform/billing or send shorter text.", { retryable: false });
    }
    await tx
      .update(reservations)
      .set({ amountMicros: sql`${reservations.amountMicros} + ${grant}`, expiresAt: new Date(Date.now() + input.ttlMs) })
      .where(eq(reservations.id, res.id));
    await takeAvailable(tx, res, grant, "reserved");
    await tx.insert(ledgerEntries).values({ tenantId: res.tenantId, walletId: res.walletId, kind: "reserve", amountMicros: grant, reservationId: res.id, apiKeyId: res.apiKeyId, reason: `${res.purpose}: grown while streaming` });
    return { amountMicros: res.amountMicros + grant, grownMicros: grant };
  });
}

/**
 * Closes pending reservations whose hold expired (their server died or forgot them): charges the
 * usage their last heartbeat recorded and releases the rest. Safe to run from several processes at
 * once: each reservation is closed by one conditional UPDATE, which a concurrent renewal defeats.
 */
export async function sweepExpiredReservations(db: Db, now: Date = new Date(), batch = 200): Promise<number> {
  let released = 0;
  for (;;) {
    const due = await db
      .select({ id: reservations.id })
      .from(reservations)
      .where(and(eq(reservations.status, "pending"), sql`${reservations.expiresAt} <= ${now.toISOString()}`))
      .limit(batch);
    for (const { id } of due) {
      const closed = await db.transaction(async (tx) => {
        // settled_micros keeps the progress recorded while pending: it is what this expiry charges.
        const [res] = await tx
          .update(reservations)
          .set({ status: "expired", settledMicros: sql`coalesce(${reservations.settledMicros}, 0)`, closedAt: sql`now()` })
          .where(and(eq(reservations.id, id), eq(reservations.status, "pending"), sql`${reservations.expiresAt} <= ${now.toISOString()}`))
          .returning();
        if (!res) return false; // settled, voided, renewed or swept by someone else meanwhile
        const charged = Math.min(res.amountMicros, res.settledMicros ?? 0);
        const { environment, unused } = await release(tx, res, charged);
        const entries: (typeof ledgerEntries.$inferInsert)[] = [];
        if (charged > 0) entries.push({ tenantId: res.tenantId, walletId: res.walletId, kind: "settle", amountMicros: charged, reservationId: res.id, apiKeyId: res.apiKeyId, reason: "usage recorded before the hold expired" });
        entries.push({ tenantId: res.tenantId, walletId: res.walletId, kind: "expire", amountMicros: unused, reservationId: res.id, apiKeyId: res.apiKeyId, reason: "hold expired" });
        await tx.insert(ledgerEntries).values(entries);
        if (charged > 0) await recordUsage(tx, res, environment, charged);
        return true;
      });
      if (closed) released++;
    }
    if (due.length < batch) return released;
  }
}
