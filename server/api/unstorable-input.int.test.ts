// Dashboard inputs (tRPC) the database cannot store are refused as BAD_REQUEST naming the field, on both
// drivers, before any query runs; nothing logs them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASES, type TestDatabase } from "../testing/databases";
import { captureLogs } from "../testing/capture-logs";
import { signUp } from "../services/users";
import { createCaller } from "./root";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

const MARK = "customer-value-91c2";
const nul = `Ana\u0000${MARK}`;
const lone = `\uDC00${MARK}`;
const deep = () => {
  let v: Record<string, unknown> = { leaf: MARK };
  for (let i = 0; i < 40; i++) v = { a: v };
  return v;
};

type Api = ReturnType<typeof createCaller>;
const cases: [string, (api: Api, avatarId: string) => Promise<unknown>, string][] = [
  ["signUp name", (api) => api.account.signUp({ name: nul, email: "new@example.com", password: "new-password-1" }), "name"],
  ["signUp workspace name", (api) => api.account.signUp({ name: "New", email: "new@example.com", password: "new-password-1", tenantName: lone }), "tenantName"],
  ["tenants.create name", (api) => api.tenants.create({ name: nul }), "name"],
  ["tenants.rename name", (api) => api.tenants.rename({ name: lone }), "name"],
  ["tenants.switch tenantId", (api) => api.tenants.switch({ tenantId: nul }), "tenantId"],
  ["apiKeys.create name", (api) => api.apiKeys.create({ name: nul, environment: "test", scopes: ["*"] }), "name"],
  ["assets.importRemote remoteUrl", (api) => api.assets.importRemote({ kind: "image", remoteUrl: `https://example.com/${nul}` }), "remoteUrl"],
  ["avatars.create displayName", (api) => api.avatars.create({ displayName: nul, sourceKind: "image" }), "displayName"],
  ["avatars.update settings value", (api, id) => api.avatars.update({ id, patch: { settings: { greeting: lone } } }), "patch.settings.greeting"],
  ["avatars.update settings nesting", (api, id) => api.avatars.update({ id, patch: { settings: deep() } }), "patch.settings"],
];

describe.each(TEST_DATABASES)("unstorable dashboard input on %s", (_name, open) => {
  let t: TestDatabase;
  let api: Api;
  let avatarId: string;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    t = await open();
    const owner = await signUp(t.db, { name: "Olga", email: "olga@example.com", password: "olga-password-1" });
    api = createCaller({ db: t.db, user: { ...owner.user, name: null }, headers: new Headers(), resHeaders: new Headers() });
    avatarId = (await api.avatars.create({ displayName: "Ana", sourceKind: "image" })).id;
    logs = captureLogs();
  });
  afterAll(async () => {
    logs?.stop();
    await t?.close();
  });

  it.each(cases)("refuses %s", async (_, call, field) => {
    const error = await call(api, avatarId).then(
      () => null,
      (e: { code?: string; cause?: { issues?: { path: PropertyKey[] }[] } }) => e,
    );
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    // The issue paths become the fieldErrors keys the dashboard forms read to mark the field.
    expect(error?.cause?.issues?.map((i) => i.path.join("."))).toContain(field);
  });

  it("logged no error and no customer value", () => {
    expect(logs.lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(logs.raw()).not.toContain(MARK);
  });
});
