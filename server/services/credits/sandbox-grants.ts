import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { ledgerEntries, wallets } from "../../db/schema";
import { AppError } from "../../errors";
import { grantCreditsTx, lockWallet } from "./ledger";
import { MICROS_PER_SECOND } from "./wallets";

// Owners may add free sandbox minutes themselves (when payments are off) on top of the starting
// allowance. Sandbox credit is free, so the total an owner can add over the workspace's lifetime is
// capped; operator grants (CLI admin-grant) carry another reason and are not counted.

/** The most sandbox time an owner may add to one workspace, in total. */
export const MAX_SANDBOX_TOP_UP_MINUTES = 120;
const REASON = "sandbox_top_up";
const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
const CAP_MICROS = MAX_SANDBOX_TOP_UP_MINUTES * MICROS_PER_MINUTE;

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

async function toppedUpMicros(tx: Tx | Db, tenantId: string): Promise<number> {
  const [row] = await tx
    .select({ total: sql<number>`coalesce(sum(${ledgerEntries.amountMicros}), 0)`.mapWith(Number) })
    .from(ledgerEntries)
    .innerJoin(wallets, eq(wallets.id, ledgerEntries.walletId))
    .where(and(eq(ledgerEntries.tenantId, tenantId), eq(wallets.environment, "test"), eq(ledgerEntries.kind, "grant"), eq(ledgerEntries.reason, REASON)));
  return row?.total ?? 0;
}

/** Whole minutes an owner can still add to the workspace's sandbox wallet. */
export async function sandboxTopUpMinutesRemaining(db: Db, tenantId: string): Promise<number> {
  return Math.floor((CAP_MICROS - (await toppedUpMicros(db, tenantId))) / MICROS_PER_MINUTE);
}

/**
 * Adds `minutes` of sandbox credit, refused (invalid_input on `minutes`, naming what remains) past
 * the lifetime cap. The total is read under the wallet's row lock, so concurrent grants cannot
 * overshoot it together.
 */
export async function grantSandboxTopUp(db: Db, input: { tenantId: string; minutes: number; userId: string }): Promise<void> {
  const amountMicros = input.minutes * MICROS_PER_MINUTE;
  await db.transaction(async (tx) => {
    await lockWallet(tx, input.tenantId, "test");
    const remaining = CAP_MICROS - (await toppedUpMicros(tx, input.tenantId));
    if (amountMicros > remaining) {
      const left = Math.floor(remaining / MICROS_PER_MINUTE);
      throw new AppError(
        "invalid_input",
        left > 0
          ? `At most ${left} more sandbox minutes can be added to this workspace (${MAX_SANDBOX_TOP_UP_MINUTES} in total); grant ${left} or fewer.`
          : `All ${MAX_SANDBOX_TOP_UP_MINUTES} free sandbox minutes have been added to this workspace; no sandbox minutes remain. Use live credit for more.`,
        { field: "minutes" },
      );
    }
    await grantCreditsTx(tx, { tenantId: input.tenantId, environment: "test", amountMicros, reason: REASON, metadata: { userId: input.userId } });
  });
}
