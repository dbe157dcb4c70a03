import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../testing/run-cli";

// The embedded database belongs to the server process; `tic-avatar admin` run beside it must reach
// the server's database (its writes visible at once), never open the same PGlite folder itself.

const dataDir = mkdtempSync(join(tmpdir(), "tic-admin-"));
const pgliteDir = join(dataDir, "pglite");
const cliEnv = { DATA_DIR: dataDir, PGLITE_DATA_DIR: pgliteDir, AUTH_SECRET: "cli-secret-0123456789abcdef" };

describe("tic-avatar admin beside a running server", () => {
  // The "server": this process, holding the folder through the same getDb() the Next.js server uses.
  let server: typeof import("../../db/client");
  beforeAll(async () => {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DATA_DIR = pgliteDir;
    process.env.DATA_DIR = dataDir;
    process.env.AUTH_SECRET ??= "server-secret-0123456789abcdef";
    process.env.LOG_LEVEL ??= "silent";
    server = await import("../../db/client");
    await server.getDb();
  });
  afterAll(async () => {
    await server?.closeDb();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a key created by the CLI authenticates on the server at once, and a grant shows in its balance", async () => {
    const db = await server.getDb();
    const { seedTenant } = await import("../../http/testing/test-api");
    const { authenticateApiKey } = await import("../../services/api-keys");
    const { getCreditBalance } = await import("../../services/credits/wallets");
    const tenant = await seedTenant(db, { name: "Beside Co" });
    // The server has looked at keys before (its pages are cached), as a running server has.
    expect(await authenticateApiKey(db, "tic_live_not_a_real_key", 5_000)).toBeNull();

    const created = await runCli(["admin", "create-key", "--tenant", tenant.slug, "--scopes", "*", "--env", "live"], { env: cliEnv });
    expect(created.stderr).not.toMatch(/Error|error:/);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout.trim()) as { apiKey: string; id: string };
    const auth = await authenticateApiKey(db, key.apiKey, 5_000);
    expect(auth?.key.id).toBe(key.id);

    const granted = await runCli(["admin", "grant", "--tenant", tenant.slug, "--env", "live", "--seconds", "7"], { env: cliEnv });
    expect(granted.code).toBe(0);
    expect((await getCreditBalance(db, tenant.id, "live")).lifetimeGrantedCreditMicros).toBe(7_000_000);
  });

  it("a tenant the CLI creates (one transaction) is the server's at once", async () => {
    const { listAllTenants } = await import("../../services/tenants");
    const run = await runCli(["admin", "create-tenant", "--name", "Cli Made", "--owner", "cli-made@example.test"], { env: cliEnv });
    expect(run.code, run.stderr).toBe(0);
    const made = JSON.parse(run.stdout.trim()) as { id: string };
    expect((await listAllTenants(await server.getDb())).map((t) => t.id)).toContain(made.id);
  });
});
