import "server-only";
import { parseArgs } from "node:util";
import { emailSchema, passwordSchema } from "@/core/accounts/account-input";
import { openDatabase, type Db } from "../../db/client";
import { getEnv } from "../../env";
import { createTenant, listAllTenants } from "../../services/tenants";
import { findOrCreateUser } from "../../services/users";
import { CliUsageError, type CliCommand } from "../command";

const usage = `tic-avatar admin <subcommand> [options]

  create-tenant --name NAME --owner EMAIL [--password P]   create a tenant (and its owner if new)
  list-tenants                                              print every tenant as a JSON line
  create-key --tenant ID|SLUG --scopes a,b --env test|live [--spend-limit MICROS] [--name N]
  create-key --tenant ID|SLUG --kind publishable --origins https://a,https://b --avatars ava_x --env test|live
  grant --tenant ID|SLUG --env test|live --seconds N
  jobs [--state failed] [--type T] [--tenant ID] [--limit N]    print jobs (newest first) as JSON lines, with their error
  jobs retry --type T --id ID                               give a failed job one more attempt
  suspend --tenant ID|SLUG                                  suspend a workspace (its keys answer 403 everywhere)
  resume --tenant ID|SLUG                                   make a suspended workspace active again
  add-preset --name NAME --image FILE [--display-name D]    add a platform preset avatar (POST /api/v1/videos "avatar")
  list-presets                                              print every preset avatar as a JSON line

Works against the database DATABASE_URL selects (the embedded PGlite when unset); while a server
runs on the embedded database, through that server, so every change takes effect at once.`;

type Sub = (db: Db, argv: string[]) => Promise<number>;

function print(value: unknown) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

const createTenantCmd: Sub = async (db, argv) => {
  const { values } = parseArgs({ args: argv, options: { name: { type: "string" }, owner: { type: "string" }, password: { type: "string" } } });
  if (!values.name) throw new CliUsageError("--name is required.");
  const email = emailSchema.safeParse(values.owner ?? "");
  if (!email.success) throw new CliUsageError(`--owner: ${email.error.issues[0]?.message}`);
  if (values.password) {
    const ok = passwordSchema.safeParse(values.password);
    if (!ok.success) throw new CliUsageError(`--password: ${ok.error.issues[0]?.message}`);
  }
  const { user, created } = await findOrCreateUser(db, email.data, values.password);
  const tenant = await createTenant(db, { name: values.name, ownerUserId: user.id });
  print({ ...tenant, owner: { id: user.id, email: user.email, created } });
  return 0;
};

const listTenantsCmd: Sub = async (db) => {
  for (const t of await listAllTenants(db)) print({ ...t, createdAt: t.createdAt.toISOString() });
  return 0;
};

// Key and credit subcommands live beside this file and are added by their own modules.
const SUBCOMMANDS: Record<string, () => Promise<Sub>> = {
  "create-tenant": async () => createTenantCmd,
  "list-tenants": async () => listTenantsCmd,
  "create-key": async () => (await import("./admin-create-key")).default,
  grant: async () => (await import("./admin-grant")).default,
  jobs: async () => (await import("./admin-jobs")).default,
  suspend: async () => (await import("./admin-suspend")).statusCmd("suspended"),
  resume: async () => (await import("./admin-suspend")).statusCmd("active"),
  "add-preset": async () => (await import("./admin-presets")).addPresetCmd,
  "list-presets": async () => (await import("./admin-presets")).listPresetsCmd,
};

const command: CliCommand = {
  name: "admin",
  summary: "Operator tasks: tenants, keys, credit grants, jobs, preset avatars.",
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    const load = sub ? SUBCOMMANDS[sub] : undefined;
    if (!load) throw new CliUsageError(sub ? `unknown subcommand "${sub}".` : "a subcommand is required.");
    const run = await load();
    const handle = await openDatabase(getEnv().DATABASE_URL);
    try {
      return await run(handle.db, rest);
    } finally {
      await handle.close();
    }
  },
};

export default command;
