import "server-only";
import type { Db } from "../../db/client";
import { setTenantStatus } from "../../services/tenants";
import { CliUsageError } from "../command";
import { parseCliArgs } from "../parse-args";

// tic-avatar admin suspend|resume --tenant T
// Suspends or reactivates a workspace; every app instance refuses (or accepts again) its keys within a
// second (with REDIS_URL or PostgreSQL; on the embedded database within API_KEY_CACHE_TTL_MS).

/** The subcommand setting a tenant's status to `status`. */
export function statusCmd(status: "active" | "suspended") {
  return async (db: Db, argv: string[]): Promise<number> => {
    const { values } = parseCliArgs({ args: argv, options: { tenant: { type: "string" } } });
    if (!values.tenant) throw new CliUsageError("--tenant is required (id or slug).");
    process.stdout.write(`${JSON.stringify(await setTenantStatus(db, values.tenant, status))}\n`);
    return 0;
  };
}
