import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { apiKeys, reservations, usageEvents, wallets, type UsageKind } from "../../db/schema";
import { AppError } from "../../errors";

// The postings every way of closing a reservation shares (settle, void, expire, settle after expiry).
// Internal to server/services/credits: callers use ledger.ts and hold-lifetime.ts.

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type ReservationRow = typeof reservations.$inferSelect;

export function positiveMicros(value: number, field: string) {
  if (!Number.isSafeInteger(value) || value <= 0) throw new AppError("invalid_input", `${field} must be a positive integer of credit micros.`, { field });
}

export async function explainNotPending(tx: Tx, tenantId: string, reservationId: string): Promise<never> {
  const [row] = await tx
    .select({ status: reservations.status })
    .from(reservations)
    .where(and(eq(reservations.id, reservationId), eq(reservations.tenantId, tenantId)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No reservation "${reservationId}" in this workspace.`);
  throw new AppError("conflict", `Reservation "${reservationId}" is already ${row.status}; it can be closed only once.`);
}

/** Moves a closed reservation's micros out of `reserved` (and off the key's hold): `usedMicros` to used, the rest back to available. */
export async function release(tx: Tx, res: ReservationRow, usedMicros: number) {
  const unused = res.amountMicros - usedMicros;
  if (res.apiKeyId) {
    await tx
      .update(apiKeys)
      .set({ heldCreditMicros: sql`${apiKeys.heldCreditMicros} - ${res.amountMicros}`, spentCreditMicros: sql`${apiKeys.spentCreditMicros} + ${usedMicros}` })
      .where(and(eq(apiKeys.id, res.apiKeyId), eq(apiKeys.tenantId, res.tenantId)));
  }
  const [wallet] = await tx
    .update(wallets)
    .set({
      reservedMicros: sql`${wallets.reservedMicros} - ${res.amountMicros}`,
      usedMicros: sql`${wallets.usedMicros} + ${usedMicros}`,
      availableMicros: sql`${wallets.availableMicros} + ${unused}`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(wallets.id, res.walletId), eq(wallets.tenantId, res.tenantId)))
    .returning({ environment: wallets.environment });
  return { environment: wallet!.environment, unused };
}

/**
 * Takes `micros` from a reservation's wallet's available balance: into `reserved` when its hold grows
 * (and onto the key's hold), into `used` when usage is charged after the hold expired (and onto the
 * key's spend). The caller has checked (under lock) that the wallet and the key can afford it.
 */
export async function takeAvailable(tx: Tx, res: ReservationRow, micros: number, into: "reserved" | "used") {
  if (res.apiKeyId) {
    await tx
      .update(apiKeys)
      .set(into === "reserved" ? { heldCreditMicros: sql`${apiKeys.heldCreditMicros} + ${micros}` } : { spentCreditMicros: sql`${apiKeys.spentCreditMicros} + ${micros}` })
      .where(and(eq(apiKeys.id, res.apiKeyId), eq(apiKeys.tenantId, res.tenantId)));
  }
  await tx
    .update(wallets)
    .set({
      availableMicros: sql`${wallets.availableMicros} - ${micros}`,
      ...(into === "reserved" ? { reservedMicros: sql`${wallets.reservedMicros} + ${micros}` } : { usedMicros: sql`${wallets.usedMicros} + ${micros}` }),
      updatedAt: sql`now()`,
    })
    .where(and(eq(wallets.id, res.walletId), eq(wallets.tenantId, res.tenantId)));
}

export type UsageInput = { kind: UsageKind; renderedMs: number; avatarId?: string | null };

/** The dashboard's record of credits used by one reservation (or a part of it). */
export async function recordUsage(tx: Tx, res: ReservationRow, environment: "test" | "live", creditMicros: number, usage?: UsageInput) {
  await tx.insert(usageEvents).values({
    tenantId: res.tenantId,
    environment,
    apiKeyId: res.apiKeyId,
    avatarId: usage?.avatarId ?? null,
    kind: usage?.kind ?? res.purpose,
    renderedMs: usage?.renderedMs ?? Math.round(creditMicros / 1000),
    creditMicros,
  });
}
