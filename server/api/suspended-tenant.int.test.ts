import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants } from "../db/schema";
import { AppError } from "../errors";
import { signUp } from "../services/users";
import { TEST_DATABASES, type TestDatabase } from "../testing/databases";
import { appRouter, createCaller } from "./root";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

// A suspended workspace may still be looked at in the dashboard, but no tRPC mutation acts for it.
// Generated from the router, so a new mutation is covered; only mutations that do not act on the
// active workspace are listed as exempt.
const NOT_TENANT_ACTIONS = new Set(["account.signUp", "tenants.create", "tenants.switch"]);
// At run time the router's procedures are one flat record keyed by dotted path.
const mutations = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
  .filter(([, procedure]) => procedure._def.type === "mutation")
  .map(([path]) => path);

type Callable = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;

describe.each(TEST_DATABASES)("suspended workspace through tRPC on %s", (_name, open) => {
  let t: TestDatabase;
  let owner: Awaited<ReturnType<typeof signUp>>;
  const api = () => createCaller({ db: t.db, user: { ...owner.user, name: null }, headers: new Headers({ host: "app.test" }), resHeaders: new Headers() });

  beforeAll(async () => {
    t = await open();
    owner = await signUp(t.db, { name: "Sam", email: "sam@example.com", password: "sam-password-12" });
    await t.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, owner.tenant.id));
  });
  afterAll(() => t?.close());

  it("refuses to mint a live '*' key or grant sandbox credit, and nothing changes", async () => {
    const before = await api().billing.overview();
    for (const attempt of [
      () => api().apiKeys.create({ name: "escape", environment: "live", scopes: ["*"] }),
      () => api().billing.grantSandbox({ minutes: 60 }),
    ]) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect(error).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("suspended") });
      expect((error as TRPCError).cause).toMatchObject({ code: "tenant_suspended" });
    }
    expect(await api().apiKeys.list()).toEqual([]);
    expect((await api().billing.overview()).balances).toEqual(before.balances);
  });

  it("still answers queries (the dashboard can show the suspension)", async () => {
    expect((await api().tenants.active()).status).toBe("suspended");
  });

  it("exempts only mutations that exist", () => {
    for (const path of NOT_TENANT_ACTIONS) expect(mutations).toContain(path);
  });

  for (const path of mutations) {
    const exempt = NOT_TENANT_ACTIONS.has(path);
    it(`${path} ${exempt ? "does not act on the workspace (exempt)" : "answers FORBIDDEN tenant_suspended"}`, async () => {
      if (exempt) return;
      const [router, procedure] = path.split(".") as [string, string];
      const caller = api() as unknown as Callable;
      // The suspension is checked before the input is parsed, so any input gets the same answer.
      const error = await caller[router]![procedure]!({}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code, path).toBe("FORBIDDEN");
      expect((error as TRPCError).cause, path).toBeInstanceOf(AppError);
      expect((error as TRPCError).cause, path).toMatchObject({ code: "tenant_suspended" });
    });
  }
});
