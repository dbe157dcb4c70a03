import "server-only";
import { newId } from "@/core/ids/new-id";
import type { Db } from "../../db/client";
import { ledgerEntries, wallets } from "../../db/schema";

/** 1 realtime second of avatar output, in credit micros. */
export const MICROS_PER_SECOND = 1_000_000;
/** Every new tenant's sandbox wallet starts with 30 realtime minutes for test keys. */
export const SANDBOX_GRANT_MICROS = 30 * 60 * MICROS_PER_SECOND;

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Creates a tenant's test and live wallets inside the caller's transaction and grants the sandbox allowance. */
export async function createTenantWallets(tx: Tx | Db, tenantId: string): Promise<void> {
  const testId = newId("wal");
  await tx.insert(wallets).values([
    {
      id: testId,
      tenantId,
      environment: "test",
      grantedMicros: SANDBOX_GRANT_MICROS,
      availableMicros: SANDBOX_GRANT_MICROS,
    },
    { id: newId("wal"), tenantId, environment: "live" },
  ]);
  await tx.insert(ledgerEntries).values({
    tenantId,
    walletId: testId,
    kind: "grant",
    amountMicros: SANDBOX_GRANT_MICROS,
    reason: "sandbox_allowance",
  });
}
