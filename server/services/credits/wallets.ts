import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import type { Db } from "../../db/client";
import { ledgerEntries, wallets } from "../../db/schema";
import { AppError } from "../../errors";

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

export type CreditBalance = {
  tenantId: string;
  environment: "test" | "live";
  balanceCreditMicros: number;
  reservedCreditMicros: number;
  availableCreditMicros: number;
  lifetimeGrantedCreditMicros: number;
  lifetimeUsedCreditMicros: number;
  updatedAt: string;
};

// GET /credits/balance is a hot path: a prepared statement skips drizzle's per-call query building
// (measured ~350 µs → ~70 µs CPU per call) and the server's re-parse. One per database handle.
function prepareWalletLookup(db: Db) {
  return db
    .select()
    .from(wallets)
    .where(and(eq(wallets.tenantId, sql.placeholder("tenantId")), eq(wallets.environment, sql.placeholder("environment"))))
    .limit(1)
    .prepare("wallet_by_tenant_env");
}
const walletLookups = new WeakMap<Db, ReturnType<typeof prepareWalletLookup>>();

/** The wallet of one environment in the contract's CreditBalance shape (balance = available + reserved). */
export async function getCreditBalance(db: Db, tenantId: string, environment: "test" | "live"): Promise<CreditBalance> {
  let lookup = walletLookups.get(db);
  if (!lookup) walletLookups.set(db, (lookup = prepareWalletLookup(db)));
  const [w] = await lookup.execute({ tenantId, environment });
  if (!w) throw new AppError("not_found", `This workspace has no ${environment} wallet.`);
  return {
    tenantId,
    environment,
    balanceCreditMicros: w.availableMicros + w.reservedMicros,
    reservedCreditMicros: w.reservedMicros,
    availableCreditMicros: w.availableMicros,
    lifetimeGrantedCreditMicros: w.grantedMicros,
    lifetimeUsedCreditMicros: w.usedMicros,
    updatedAt: w.updatedAt.toISOString(),
  };
}
