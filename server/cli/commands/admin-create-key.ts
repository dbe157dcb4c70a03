import "server-only";
import { z } from "zod";
import { API_KEY_SCOPES } from "@/core/api-keys/scopes";
import type { Db } from "../../db/client";
import { createApiKey } from "../../services/api-keys";
import { findTenant } from "../../services/tenants";
import { CliUsageError } from "../command";
import { parseCliArgs } from "../parse-args";

// tic-avatar admin create-key --tenant T --scopes a,b --env test|live [--spend-limit MICROS] [--name N] [--expires ISO]
// Prints the key as one JSON line, including the secret: the only time it is ever shown.

const scopes = z.array(z.enum(API_KEY_SCOPES)).min(1);

export default async function createKeyCmd(db: Db, argv: string[]): Promise<number> {
  const { values } = parseCliArgs({
    args: argv,
    options: {
      tenant: { type: "string" },
      scopes: { type: "string" },
      env: { type: "string" },
      "spend-limit": { type: "string" },
      name: { type: "string" },
      expires: { type: "string" },
    },
  });
  if (!values.tenant) throw new CliUsageError("--tenant is required (id or slug).");
  const parsedScopes = scopes.safeParse((values.scopes ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  if (!parsedScopes.success) throw new CliUsageError(`--scopes: a comma-separated list of ${API_KEY_SCOPES.join(", ")}.`);
  if (values.env !== "test" && values.env !== "live") throw new CliUsageError("--env must be test or live.");
  let spendLimit: number | null = null;
  if (values["spend-limit"] !== undefined) {
    spendLimit = Number(values["spend-limit"]);
    if (!Number.isSafeInteger(spendLimit) || spendLimit < 0) throw new CliUsageError("--spend-limit: a non-negative integer of credit micros (1 s = 1000000).");
  }
  const tenant = await findTenant(db, values.tenant);
  const key = await createApiKey(db, tenant.id, {
    name: values.name ?? `cli ${new Date().toISOString().slice(0, 10)}`,
    environment: values.env,
    scopes: parsedScopes.data,
    spendLimitCreditMicros: spendLimit,
    expiresAt: values.expires ?? null,
  });
  process.stdout.write(`${JSON.stringify(key)}\n`);
  process.stderr.write("Store apiKey now: it is not retrievable later.\n");
  return 0;
}
