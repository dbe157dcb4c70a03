import "server-only";
import { z } from "zod";
import { API_KEY_SCOPES } from "@/core/api-keys/scopes";
import type { Db } from "../../db/client";
import { createApiKey } from "../../services/api-keys";
import { createPublishableKey, createPublishableKeyInput, type CreatePublishableKeyInput } from "../../services/publishable-keys";
import { findTenant } from "../../services/tenants";
import { CliUsageError } from "../command";
import { parseCliArgs } from "../parse-args";

// tic-avatar admin create-key --tenant T --scopes a,b --env test|live [--spend-limit MICROS] [--name N] [--expires ISO]
// tic-avatar admin create-key --tenant T --kind publishable --origins https://a,https://b --avatars ava_x[,ava_y] --env test|live [...]
// Prints the key as one JSON line, including the secret: the only time it is ever shown. A
// publishable key (tic_pub_…) is made by the dashboard's own service (its origins and avatars
// checked there); it has no scopes: its kind confines it to what a page may do.

const scopes = z.array(z.enum(API_KEY_SCOPES)).min(1);
const list = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);

export default async function createKeyCmd(db: Db, argv: string[]): Promise<number> {
  const { values } = parseCliArgs({
    args: argv,
    options: {
      tenant: { type: "string" },
      kind: { type: "string" },
      scopes: { type: "string" },
      origins: { type: "string" },
      avatars: { type: "string" },
      env: { type: "string" },
      "spend-limit": { type: "string" },
      name: { type: "string" },
      expires: { type: "string" },
    },
  });
  if (!values.tenant) throw new CliUsageError("--tenant is required (id or slug).");
  const kind = values.kind ?? "secret";
  if (kind !== "secret" && kind !== "publishable") throw new CliUsageError("--kind must be secret (default) or publishable.");
  const env = values.env;
  if (env !== "test" && env !== "live") throw new CliUsageError("--env must be test or live.");
  let spendLimit: number | null = null;
  if (values["spend-limit"] !== undefined) {
    spendLimit = Number(values["spend-limit"]);
    if (!Number.isSafeInteger(spendLimit) || spendLimit < 0) throw new CliUsageError("--spend-limit: a non-negative integer of credit micros (1 s = 1000000).");
  }
  const name = values.name ?? `cli ${new Date().toISOString().slice(0, 10)}`;
  let key: object;
  if (kind === "publishable") {
    if (values.scopes !== undefined) throw new CliUsageError("--scopes: a publishable key has none (it can only start sessions and read its avatars' render assets); name --origins and --avatars.");
    const raw: CreatePublishableKeyInput = { name, environment: env, allowedOrigins: list(values.origins), avatarIds: list(values.avatars), spendLimitCreditMicros: spendLimit, expiresAt: values.expires ?? null };
    // Checked here first so a bad flag is a usage error naming it (the service parses the same schema).
    const input = createPublishableKeyInput.safeParse(raw);
    if (!input.success) {
      const issue = input.error.issues[0]!;
      const flag = issue.path[0] === "allowedOrigins" ? "--origins" : issue.path[0] === "avatarIds" ? "--avatars" : `--${String(issue.path[0] ?? "input")}`;
      throw new CliUsageError(`${flag}: ${issue.message}`);
    }
    const tenant = await findTenant(db, values.tenant);
    key = await createPublishableKey(db, tenant.id, raw);
  } else {
    if (values.origins !== undefined || values.avatars !== undefined) throw new CliUsageError("--origins and --avatars are for --kind publishable.");
    const parsedScopes = scopes.safeParse(list(values.scopes));
    if (!parsedScopes.success) throw new CliUsageError(`--scopes: a comma-separated list of ${API_KEY_SCOPES.join(", ")}.`);
    const tenant = await findTenant(db, values.tenant);
    key = await createApiKey(db, tenant.id, { name, environment: env, scopes: parsedScopes.data, spendLimitCreditMicros: spendLimit, expiresAt: values.expires ?? null });
  }
  process.stdout.write(`${JSON.stringify(key)}\n`);
  process.stderr.write("Store apiKey now: it is not retrievable later.\n");
  return 0;
}
