import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pgliteTestDb, type TestDatabase } from "../../testing/databases";
import { authenticateApiKey } from "../../services/api-keys";
import { getCreditBalance } from "../../services/credits/wallets";
import { seedTenant } from "../../http/testing/test-api";
import { readyAvatar } from "../../services/live-sessions/testing/session-world";
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

  it("--kind publishable prints a tic_pub_ key for the named origins and avatars (the dashboard's service)", async () => {
    const avatarId = await readyAvatar(t.db, tenant.id);
    const { code, out } = await captured(() => createKey(t.db, ["--tenant", tenant.slug, "--kind", "publishable", "--origins", "https://shop.example.com, http://localhost:5173/", "--avatars", avatarId, "--env", "test", "--name", "embed"]));
    expect(code).toBe(0);
    const key = JSON.parse(out.trim());
    expect(key.apiKey).toMatch(/^tic_pub_test_/);
    expect(key).toMatchObject({ name: "embed", kind: "publishable", environment: "test", allowedOrigins: ["https://shop.example.com", "http://localhost:5173"], avatarIds: [avatarId] });
    const auth = await authenticateApiKey(t.db, key.apiKey, 0);
    expect(auth?.key).toMatchObject({ id: key.id, kind: "publishable", allowedOrigins: ["https://shop.example.com", "http://localhost:5173"], avatarIds: [avatarId] });

    const publishable = (more: string[]) => createKey(t.db, ["--tenant", tenant.id, "--kind", "publishable", "--env", "test", ...more]);
    await expect(publishable(["--avatars", avatarId])).rejects.toThrow(/--origins/);
    await expect(publishable(["--origins", "https://shop.example.com"])).rejects.toThrow(/--avatars/);
    await expect(publishable(["--origins", "ftp://nope", "--avatars", avatarId])).rejects.toBeInstanceOf(CliUsageError);
    await expect(publishable(["--origins", "https://shop.example.com", "--avatars", avatarId, "--scopes", "*"])).rejects.toBeInstanceOf(CliUsageError);
    // An avatar of no workspace of this tenant: the service's own not_found.
    await expect(publishable(["--origins", "https://shop.example.com", "--avatars", "ava_nosuchavatar000"])).rejects.toMatchObject({ code: "not_found" });
    await expect(createKey(t.db, ["--tenant", tenant.id, "--kind", "pub", "--env", "test"])).rejects.toBeInstanceOf(CliUsageError);
    await expect(createKey(t.db, ["--tenant", tenant.id, "--scopes", "*", "--env", "test", "--origins", "https://a.example"])).rejects.toBeInstanceOf(CliUsageError);
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
