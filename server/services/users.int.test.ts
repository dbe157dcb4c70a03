import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberships, tenants, users, wallets } from "../db/schema";
import { pgliteTestDb, type TestDatabase } from "../testing/databases";
import { authenticate, signUp } from "./users";

let t: TestDatabase;
beforeAll(async () => {
  t = await pgliteTestDb();
});
afterAll(() => t.close());

async function rowCounts() {
  const [[u], [te], [m], [w]] = await Promise.all([
    t.db.select({ n: count() }).from(users),
    t.db.select({ n: count() }).from(tenants),
    t.db.select({ n: count() }).from(memberships),
    t.db.select({ n: count() }).from(wallets),
  ]);
  return { users: u!.n, tenants: te!.n, memberships: m!.n, wallets: w!.n };
}

describe("sign-up", () => {
  it("creates the user, their first tenant as owner, and its wallets; never stores the password", async () => {
    const r = await signUp(t.db, { name: "Zoe", email: "  Zoe@Example.COM ", password: "zoe-password-1", tenantName: "Zoe Labs" });
    expect(r.user.email).toBe("zoe@example.com");
    expect(r.tenant).toMatchObject({ name: "Zoe Labs", slug: "zoe-labs", status: "active" });
    const [stored] = await t.db.select().from(users);
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(r)).not.toContain("zoe-password-1");
    expect(await rowCounts()).toEqual({ users: 1, tenants: 1, memberships: 1, wallets: 2 });
  });

  it.each([
    [{ name: "Dup", email: "zoe@example.com", password: "another-pass-1" }, /already exists/],
    [{ name: "Weak", email: "weak@example.com", password: "short1" }, /at least 10 characters/],
    [{ name: "Weak", email: "weak@example.com", password: "onlyletterslong" }, /mix letters/],
    [{ name: "Weak", email: "weak@example.com", password: "aaaaaaaaaa1" }, /too easy/],
    [{ name: "Bad", email: "not-an-email", password: "good-password-1" }, /valid email/],
    [{ name: "x".repeat(101), email: "long@example.com", password: "good-password-1" }, /at most 100/],
    [{ name: "Long", email: `${"a".repeat(250)}@example.com`, password: "good-password-1" }, /at most 254/],
    [{ name: "Long", email: "long@example.com", password: `a1${"b".repeat(127)}` }, /at most 128/],
    [{ name: "Long", email: "long@example.com", password: "good-password-1", tenantName: "t".repeat(81) }, /at most 80/],
  ])("refuses bad input %# with a clear message and writes nothing", async (input, message) => {
    const before = await rowCounts();
    await expect(signUp(t.db, input)).rejects.toThrow(message);
    expect(await rowCounts()).toEqual(before);
  });

  it("lets only one of two concurrent sign-ups with the same email through", async () => {
    const attempt = () => signUp(t.db, { name: "Race", email: "race@example.com", password: "race-password-1" });
    const results = await Promise.allSettled([attempt(), attempt()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(String((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason)).toMatch(/already exists/);
  });
});

describe("sign-in", () => {
  it("accepts the right password and answers the same null for a wrong password and an unknown email", async () => {
    expect(await authenticate(t.db, "ZOE@example.com", "zoe-password-1")).toMatchObject({ email: "zoe@example.com" });
    expect(await authenticate(t.db, "zoe@example.com", "wrong-password-1")).toBeNull();
    expect(await authenticate(t.db, "nobody@example.com", "zoe-password-1")).toBeNull();
  });
});
