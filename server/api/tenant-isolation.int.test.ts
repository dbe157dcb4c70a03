import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASES, type TestDatabase } from "../testing/databases";
import { signUp } from "../services/users";
import { ACTIVE_TENANT_COOKIE } from "./active-tenant";
import { createCaller } from "./root";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

function callerFor(t: TestDatabase, user: { id: string; email: string }, activeTenant?: string) {
  const headers = new Headers(activeTenant ? { cookie: `${ACTIVE_TENANT_COOKIE}=${activeTenant}` } : {});
  const resHeaders = new Headers();
  return {
    api: createCaller({ db: t.db, user: { ...user, name: null }, headers, resHeaders }),
    resHeaders,
  };
}

describe.each(TEST_DATABASES)("tenant isolation through tRPC on %s", (_name, open) => {
  let t: TestDatabase;
  let a: Awaited<ReturnType<typeof signUp>>;
  let b: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    t = await open();
    a = await signUp(t.db, { name: "Alice", email: "alice@example.com", password: "alice-password-1" });
    b = await signUp(t.db, { name: "Bob", email: "bob@example.com", password: "bob-password-12" });
  });
  afterAll(() => t?.close());

  it("lists only the caller's own tenants", async () => {
    const { api } = callerFor(t, a.user);
    const tenants = await api.tenants.list();
    expect(tenants.map((x) => x.id)).toEqual([a.tenant.id]);
  });

  it("answers not found when switching to another tenant, by id or slug", async () => {
    const { api, resHeaders } = callerFor(t, a.user);
    await expect(api.tenants.switch({ tenantId: b.tenant.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.tenants.switch({ tenantId: b.tenant.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(resHeaders.get("set-cookie")).toBeNull();
  });

  it("ignores a forged active-tenant cookie: reads and writes land in the caller's own tenant", async () => {
    const { api } = callerFor(t, a.user, b.tenant.id);
    expect((await api.tenants.active()).id).toBe(a.tenant.id);
    const members = await api.tenants.members();
    expect(members.map((m) => m.email)).toEqual(["alice@example.com"]);
    await api.tenants.rename({ name: "Alice renamed" });
    const bobView = callerFor(t, b.user);
    expect((await bobView.api.tenants.active()).name).toBe(b.tenant.name);
    expect((await api.tenants.active()).name).toBe("Alice renamed");
  });

  it("ignores an active-tenant cookie that cannot be decoded: the dashboard keeps working", async () => {
    for (const garbage of ["%ff", "%E0%A4%A", "ten_%zz", "ten_%00", "x".repeat(5000)]) {
      const { api } = callerFor(t, a.user, garbage);
      expect((await api.tenants.active()).id).toBe(a.tenant.id);
      expect((await api.apiKeys.list())).toEqual([]);
    }
  });

  it("refuses a switch target that is no workspace id or slug as bad input, not a server error", async () => {
    const { api } = callerFor(t, a.user);
    for (const bad of ["ten_\u0000", "%ff", "x".repeat(65)]) await expect(api.tenants.switch({ tenantId: bad })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("creates a second tenant and switches to it, still invisible to others", async () => {
    const { api, resHeaders } = callerFor(t, a.user);
    const second = await api.tenants.create({ name: "Second" });
    expect(resHeaders.get("set-cookie")).toContain(second.id);
    const switched = callerFor(t, a.user, second.id);
    expect((await switched.api.tenants.active()).id).toBe(second.id);
    expect((await callerFor(t, b.user).api.tenants.list()).map((x) => x.id)).toEqual([b.tenant.id]);
  });

  it("refuses signed-out callers", async () => {
    const api = createCaller({ db: t.db, user: null, headers: new Headers(), resHeaders: new Headers() });
    await expect(api.tenants.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
