import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pgliteTestDb, type TestDatabase } from "../../testing/databases";
import { authenticateApiKey } from "../../services/api-keys";
import { getCreditBalance } from "../../services/credits/wallets";
import { seedTenant } from "../../http/testing/test-api";
import { CliUsageError } from "../command";
import createKey from "./admin-create-key";
import grant from "./admin-grant";

async function captured(run: () => Promise<number>) {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await run();
    return { code, out: lines.join("") };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describe("tic-avatar admin create-key / grant", () => {
  let t: TestDatabase;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  beforeAll(async () => {
    t = await pgliteTestDb();
    tenant = await seedTenant(t.db, { name: "Cli Co" });
  });
  afterAll(() => t?.close());

  it("prints the new key once as JSON; the key authenticates with its scopes and limit", async () => {
    const { code, out } = await captured(() => createKey(t.db, ["--tenant", tenant.slug, "--scopes", "credits:read,avatars:read", "--env", "live", "--spend-limit", "5000000", "--name", "ci"]));
    expect(code).toBe(0);
    const key = JSON.parse(out.trim());
    expect(key).toMatchObject({ name: "ci", environment: "live", scopes: ["credits:read", "avatars:read"], spendLimitCreditMicros: 5_000_000, tenantId: tenant.id });
    const auth = await authenticateApiKey(t.db, key.apiKey, 0);
    expect(auth?.key).toMatchObject({ id: key.id, environment: "live", scopes: ["credits:read", "avatars:read"] });
  });

  it("refuses bad input with a usage error", async () => {
    await expect(createKey(t.db, ["--tenant", tenant.id, "--scopes", "root", "--env", "live"])).rejects.toBeInstanceOf(CliUsageError);
    await expect(createKey(t.db, ["--tenant", tenant.id, "--scopes", "*", "--env", "prod"])).rejects.toBeInstanceOf(CliUsageError);
    await expect(grant(t.db, ["--tenant", tenant.id, "--env", "live", "--seconds", "-5"])).rejects.toBeInstanceOf(CliUsageError);
    await expect(grant(t.db, ["--tenant", "no-such-tenant", "--env", "live", "--seconds", "5"])).rejects.toMatchObject({ code: "not_found" });
  });

  it("grants realtime seconds to a wallet and prints the new balance", async () => {
    const { code, out } = await captured(() => grant(t.db, ["--tenant", tenant.slug, "--env", "live", "--seconds", "90"]));
    expect(code).toBe(0);
    expect(JSON.parse(out.trim()).balance.availableCreditMicros).toBe(90_000_000);
    expect((await getCreditBalance(t.db, tenant.id, "live")).lifetimeGrantedCreditMicros).toBe(90_000_000);
  });
});
