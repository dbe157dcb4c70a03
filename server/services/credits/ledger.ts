import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import type { Db } from "../../db/client";
import { apiKeys, ledgerEntries, reservations, usageEvents, wallets } from "../../db/schema";
import { AppError } from "../../errors";

// The credit ledger. Every balance change is one transaction that moves micros between the
// wallet's buckets with a *conditional* UPDATE (the row lock serialises writers and Postgres
// re-checks the WHERE on the latest row version), then appends an immutable ledger entry.
// Lock order is always reservation → api key → wallet, so concurrent operations cannot deadlock.
// The CHECK constraints on wallets (non-negative, granted = available + reserved + used) are the
// last line of defence; these functions never rely on them for control flow.

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Environment = "test" | "live";

/** Default hold lifetime: a turn that has not settled by then is presumed dead and released. */
export const DEFAULT_RESERVATION_TTL_MS = 15 * 60 * 1000;

function positiveMicros(value: number, field: string) {
  if (!Number.isSafeInteger(value) || value <= 0) throw new AppError("invalid_input", `${field} must be a positive integer of credit micros.`, { field });
}

export type GrantInput = { tenantId: string; environment: Environment; amountMicros: number; reason: string; metadata?: Record<string, unknown>; once?: boolean };

/** Locks a tenant's wallet of one environment for the rest of the transaction (serialises grants). */
export async function lockWallet(tx: Tx, tenantId: string, environment: Environment): Promise<{ id: string }> {
  const [wallet] = await tx
    .select({ id: wallets.id })
    .from(wallets)
    .where(and(eq(wallets.tenantId, tenantId), eq(wallets.environment, environment)))
    .for("update");
  if (!wallet) throw new AppError("not_found", "Wallet not found for this workspace.");
  return wallet;
}

/** Adds credits to a wallet. With `once`, a second grant carrying the same reason is a no-op (webhook retries). */
export async function grantCredits(db: Db, input: GrantInput): Promise<{ granted: boolean }> {
  return db.transaction((tx) => grantCreditsTx(tx, input));
}

/** grantCredits inside the caller's transaction (for grants whose limits are checked under the same wallet lock). */
export async function grantCreditsTx(tx: Tx, input: GrantInput): Promise<{ granted: boolean }> {
  positiveMicros(input.amountMicros, "amountMicros");
  // Lock the wallet first: it serialises grants, which makes the duplicate check below race-free.
  const wallet = await lockWallet(tx, input.tenantId, input.environment);
  if (input.once) {
    const [dup] = await tx
      .select({ id: ledgerEntries.id })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.walletId, wallet.id), eq(ledgerEntries.kind, "grant"), eq(ledgerEntries.reason, input.reason)))
      .limit(1);
    if (dup) return { granted: false };
  }
  await tx
    .update(wallets)
    .set({
      grantedMicros: sql`${wallets.grantedMicros} + ${input.amountMicros}`,
      availableMicros: sql`${wallets.availableMicros} + ${input.amountMicros}`,
      updatedAt: sql`now()`,
    })
    .where(eq(wallets.id, wallet.id));
  await tx.insert(ledgerEntries).values({
    tenantId: input.tenantId,
    walletId: wallet.id,
    kind: "grant",
    amountMicros: input.amountMicros,
    reason: input.reason,
    metadata: input.metadata ?? null,
  });
  return { granted: true };
}

export type Reservation = { id: string; amountMicros: number; expiresAt: Date; walletId: string };

/**
 * Holds `amountMicros` on the wallet of `environment` (and on the key's spend limit). Refused with
 * 402 spend_limit_exceeded or insufficient_credits; nothing is held when refused.
 */
export async function reserveCredits(
  db: Db,
  input: { tenantId: string; environment: Environment; amountMicros: number; apiKeyId?: string | null; purpose: string; ttlMs?: number },
): Promise<Reservation> {
  positiveMicros(input.amountMicros, "amountMicros");
  const amount = input.amountMicros;
  const expiresAt = new Date(Date.now() + (input.ttlMs ?? DEFAULT_RESERVATION_TTL_MS));
  return db.transaction(async (tx) => {
    if (input.apiKeyId) {
      const held = await tx
        .update(apiKeys)
        .set({ heldCreditMicros: sql`${apiKeys.heldCreditMicros} + ${amount}` })
        .where(
          and(
            eq(apiKeys.id, input.apiKeyId),
            eq(apiKeys.tenantId, input.tenantId),
            sql`(${apiKeys.spendLimitCreditMicros} is null or ${apiKeys.spentCreditMicros} + ${apiKeys.heldCreditMicros} + ${amount} <= ${apiKeys.spendLimitCreditMicros})`,
          ),
        )
        .returning({ id: apiKeys.id });
      if (!held.length) {
        throw new AppError("spend_limit_exceeded", "This API key's spend limit would be exceeded. Raise the key's limit or use another key at /platform/api-keys.", { retryable: false });
      }
    }
    const [wallet] = await tx
      .update(wallets)
      .set({
        availableMicros: sql`${wallets.availableMicros} - ${amount}`,
        reservedMicros: sql`${wallets.reservedMicros} + ${amount}`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(wallets.tenantId, input.tenantId), eq(wallets.environment, input.environment), sql`${wallets.availableMicros} >= ${amount}`))
      .returning({ id: wallets.id });
    if (!wallet) {
      throw new AppError(
        "insufficient_credits",
        `Not enough ${input.environment === "test" ? "sandbox " : ""}credits for this request (${(amount / 1e6).toFixed(1)} s needed). Top up at /platform/billing or request a shorter duration.`,
        { retryable: false },
      );
    }
    const id = newId("res");
    await tx.insert(reservations).values({
      id,
      tenantId: input.tenantId,
      walletId: wallet.id,
      apiKeyId: input.apiKeyId ?? null,
      amountMicros: amount,
      purpose: input.purpose,
      expiresAt,
    });
    await tx.insert(ledgerEntries).values({ tenantId: input.tenantId, walletId: wallet.id, kind: "reserve", amountMicros: amount, reservationId: id, apiKeyId: input.apiKeyId ?? null, reason: input.purpose });
    return { id, amountMicros: amount, expiresAt, walletId: wallet.id };
  });
}

type ClosedRow = typeof reservations.$inferSelect;

async function explainNotPending(tx: Tx, tenantId: string, reservationId: string): Promise<never> {
  const [row] = await tx
    .select({ status: reservations.status })
    .from(reservations)
    .where(and(eq(reservations.id, reservationId), eq(reservations.tenantId, tenantId)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No reservation "${reservationId}" in this workspace.`);
  throw new AppError("conflict", `Reservation "${reservationId}" is already ${row.status}; it can be closed only once.`);
}

// Moves a closed reservation's micros back out of `reserved` (and off the key's hold).
async function release(tx: Tx, res: ClosedRow, usedMicros: number) {
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
 * Posts actual usage (≤ the reservation) and releases the rest, exactly once: a second settle or a
 * settle after void answers 409 conflict. Records a usage event for the dashboard.
 */
export async function settleReservation(
  db: Db,
  input: { tenantId: string; reservationId: string; actualMicros: number; usage?: { kind: string; renderedMs: number; avatarId?: string | null } },
) {
  if (!Number.isSafeInteger(input.actualMicros) || input.actualMicros < 0) {
    throw new AppError("invalid_input", "actualMicros must be a non-negative integer.", { field: "actualMicros" });
  }
  return db.transaction(async (tx) => {
    const [res] = await tx
      .update(reservations)
      .set({ status: "settled", settledMicros: input.actualMicros, closedAt: sql`now()` })
      .where(
        and(
          eq(reservations.id, input.reservationId),
          eq(reservations.tenantId, input.tenantId),
          eq(reservations.status, "pending"),
          sql`${reservations.amountMicros} >= ${input.actualMicros}`,
        ),
      )
      .returning();
    if (!res) {
      const [row] = await tx.select().from(reservations).where(and(eq(reservations.id, input.reservationId), eq(reservations.tenantId, input.tenantId))).limit(1);
      if (row && row.status === "pending") {
        throw new AppError("invalid_input", `actualMicros ${input.actualMicros} exceeds the reservation of ${row.amountMicros}.`, { field: "actualMicros" });
      }
      return explainNotPending(tx, input.tenantId, input.reservationId);
    }
    const { environment, unused } = await release(tx, res, input.actualMicros);
    const entries: (typeof ledgerEntries.$inferInsert)[] = [
      { tenantId: res.tenantId, walletId: res.walletId, kind: "settle", amountMicros: input.actualMicros, reservationId: res.id, apiKeyId: res.apiKeyId },
    ];
    if (unused > 0) entries.push({ tenantId: res.tenantId, walletId: res.walletId, kind: "release", amountMicros: unused, reservationId: res.id, apiKeyId: res.apiKeyId });
    await tx.insert(ledgerEntries).values(entries);
    if (input.actualMicros > 0 || input.usage) {
      await tx.insert(usageEvents).values({
        tenantId: res.tenantId,
        environment,
        apiKeyId: res.apiKeyId,
        avatarId: input.usage?.avatarId ?? null,
        kind: input.usage?.kind ?? res.purpose,
        renderedMs: input.usage?.renderedMs ?? Math.round(input.actualMicros / 1000),
        creditMicros: input.actualMicros,
      });
    }
    return { id: res.id, status: "settled" as const, settledMicros: input.actualMicros, releasedMicros: unused };
  });
}

/** Releases a whole reservation, exactly once (a second close answers 409 conflict). */
export async function voidReservation(db: Db, input: { tenantId: string; reservationId: string }) {
  return db.transaction(async (tx) => {
    const [res] = await tx
      .update(reservations)
      .set({ status: "voided", settledMicros: 0, closedAt: sql`now()` })
      .where(and(eq(reservations.id, input.reservationId), eq(reservations.tenantId, input.tenantId), eq(reservations.status, "pending")))
      .returning();
    if (!res) return explainNotPending(tx, input.tenantId, input.reservationId);
    await release(tx, res, 0);
    await tx.insert(ledgerEntries).values({ tenantId: res.tenantId, walletId: res.walletId, kind: "void", amountMicros: res.amountMicros, reservationId: res.id, apiKeyId: res.apiKeyId });
    return { id: res.id, status: "voided" as const, releasedMicros: res.amountMicros };
  });
}

/**
 * Releases pending reservations whose hold expired (their server died or forgot them). Safe to run
 * from several processes at once: each reservation is closed by one conditional UPDATE.
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
        const [res] = await tx
          .update(reservations)
          .set({ status: "expired", settledMicros: 0, closedAt: sql`now()` })
          .where(and(eq(reservations.id, id), eq(reservations.status, "pending"), sql`${reservations.expiresAt} <= ${now.toISOString()}`))
          .returning();
        if (!res) return false; // settled, voided or swept by someone else meanwhile
        await release(tx, res, 0);
        await tx.insert(ledgerEntries).values({ tenantId: res.tenantId, walletId: res.walletId, kind: "expire", amountMicros: res.amountMicros, reservationId: res.id, apiKeyId: res.apiKeyId, reason: "hold expired" });
        return true;
      });
      if (closed) released++;
    }
    if (due.length < batch) return released;
  }
}
