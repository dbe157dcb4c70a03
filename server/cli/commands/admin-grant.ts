import "server-only";
import type { Db } from "../../db/client";
import { grantCredits } from "../../services/credits/ledger";
import { getCreditBalance, MICROS_PER_SECOND } from "../../services/credits/wallets";
import { findTenant } from "../../services/tenants";
import { CliUsageError } from "../command";
import { parseCliArgs } from "../parse-args";

// tic-avatar admin grant --tenant T --env test|live --seconds N [--reason R]
// Grants realtime seconds to a wallet (an immutable ledger entry) and prints the new balance.

export default async function grantCmd(db: Db, argv: string[]): Promise<number> {
  const { values } = parseCliArgs({ args: argv, options: { tenant: { type: "string" }, env: { type: "string" }, seconds: { type: "string" }, reason: { type: "string" } } });
  if (!values.tenant) throw new CliUsageError("--tenant is required (id or slug).");
  if (values.env !== "test" && values.env !== "live") throw new CliUsageError("--env must be test or live.");
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new CliUsageError("--seconds must be a positive number of realtime seconds.");
  const micros = Math.round(seconds * MICROS_PER_SECOND);
  const tenant = await findTenant(db, values.tenant);
  await grantCredits(db, { tenantId: tenant.id, environment: values.env, amountMicros: micros, reason: values.reason ?? "admin_grant", metadata: { via: "cli" } });
  process.stdout.write(`${JSON.stringify({ granted: { seconds, creditMicros: micros }, balance: await getCreditBalance(db, tenant.id, values.env) })}\n`);
  return 0;
}
