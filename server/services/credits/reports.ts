import "server-only";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { ledgerEntries, usageEvents, wallets } from "../../db/schema";

// Read models of the ledger for the dashboard and GET /api/v1/usage; every query is tenant-scoped.

export type UsageDay = { day: string; renderedMs: number; creditMicros: number; events: number };

/** Settled usage per UTC day for the last `days` days (days without usage included as zeros). */
export async function usageByDay(db: Db, tenantId: string, environment: "test" | "live", days = 30, now = new Date()): Promise<UsageDay[]> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const rows = await db
    .select({
      day: sql<string>`to_char(date_trunc('day', ${usageEvents.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
      renderedMs: sql<number>`coalesce(sum(${usageEvents.renderedMs}), 0)::bigint`,
      creditMicros: sql<number>`coalesce(sum(${usageEvents.creditMicros}), 0)::bigint`,
      events: sql<number>`count(*)::int`,
    })
    .from(usageEvents)
    .where(and(eq(usageEvents.tenantId, tenantId), eq(usageEvents.environment, environment), gte(usageEvents.createdAt, since)))
    .groupBy(sql`1`);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: UsageDay[] = [];
  for (let i = 0; i < days; i++) {
    const day = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const r = byDay.get(day);
    out.push({ day, renderedMs: Number(r?.renderedMs ?? 0), creditMicros: Number(r?.creditMicros ?? 0), events: Number(r?.events ?? 0) });
  }
  return out;
}

export type LedgerEntryView = {
  id: number;
  environment: "test" | "live";
  kind: string;
  amountMicros: number;
  reservationId: string | null;
  apiKeyId: string | null;
  reason: string | null;
  createdAt: string;
};

/** The newest ledger entries of a tenant (optionally one environment). */
export async function listLedgerEntries(db: Db, tenantId: string, options: { environment?: "test" | "live"; limit?: number } = {}): Promise<LedgerEntryView[]> {
  const rows = await db
    .select({
      id: ledgerEntries.id,
      environment: wallets.environment,
      kind: ledgerEntries.kind,
      amountMicros: ledgerEntries.amountMicros,
      reservationId: ledgerEntries.reservationId,
      apiKeyId: ledgerEntries.apiKeyId,
      reason: ledgerEntries.reason,
      createdAt: ledgerEntries.createdAt,
    })
    .from(ledgerEntries)
    .innerJoin(wallets, and(eq(wallets.id, ledgerEntries.walletId), eq(wallets.tenantId, tenantId)))
    .where(and(eq(ledgerEntries.tenantId, tenantId), options.environment ? eq(wallets.environment, options.environment) : undefined))
    .orderBy(desc(ledgerEntries.id))
    .limit(Math.min(options.limit ?? 50, 500));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
