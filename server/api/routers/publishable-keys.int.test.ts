import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseApiKey } from "@/core/api-keys/key-format";
import { readyAvatar } from "../../services/live-sessions/testing/session-world";
import { TEST_DATABASES, type TestDatabase } from "../../testing/databases";
import { signUp } from "../../services/users";
import { createCaller } from "../root";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

// The dashboard's side of publishable keys: created, listed and revoked through tRPC (what the API
// keys page calls), with their avatars and origins validated at creation.

describe.each(TEST_DATABASES)("publishable keys through tRPC (%s)", (_kind, open) => {
  let t: TestDatabase;
  let owner: Awaited<ReturnType<typeof signUp>>;
  let other: Awaited<ReturnType<typeof signUp>>;
  let avatarId: string;
  let foreignAvatar: string;
  const api = (who = owner) => createCaller({ db: t.db, user: { ...who.user, name: null }, headers: new Headers({ host: "app.test" }), resHeaders: new Headers() });

  beforeAll(async () => {
    t = await open();
    owner = await signUp(t.db, { name: "Olga", email: "olga@example.com", password: "olga-password-1" });
    other = await signUp(t.db, { name: "Otto", email: "otto@example.com", password: "otto-password-1" });
    avatarId = await readyAvatar(t.db, owner.tenant.id);
    foreignAvatar = await readyAvatar(t.db, other.tenant.id);
  });
  afterAll(() => t?.close());

  it("creates a key once (tic_pub_…), naming its avatars and normalised origins; the list shows it redacted beside secret keys", async () => {
    const created = await api().apiKeys.createPublishable({ name: "site", environment: "live", avatarIds: [avatarId, avatarId], allowedOrigins: ["https://WWW.Example.com/", "http://localhost:3000", "https://*.example.org"] });
    expect(parseApiKey(created.apiKey)).toEqual({ environment: "live", kind: "publishable" });
    expect(created).toMatchObject({ kind: "publishable", avatarIds: [avatarId], allowedOrigins: ["https://www.example.com", "http://localhost:3000", "https://*.example.org"], scopes: ["realtime:write"], status: "active" });
    await api().apiKeys.create({ name: "server", environment: "test", scopes: ["realtime:write"] });
    const listed = await api().apiKeys.list();
    const pub = listed.find((k) => k.id === created.id)!;
    expect(pub.redactedKey).toMatch(/^tic_pub_live_[0-9a-z]{4}…[0-9a-z]{4}$/);
    expect(JSON.stringify(listed)).not.toContain(created.apiKey);
    expect(listed.map((k) => k.kind).sort()).toEqual(["publishable", "secret"]);
    expect((await api().apiKeys.revoke({ id: created.id })).status).toBe("revoked");
  });

  it("refuses origins that are not origins, unsafe wildcards, another workspace's avatar, and an empty key", async () => {
    for (const origin of ["https://example.com/app", "*", "https://*.com", "example.com"]) {
      await expect(api().apiKeys.createPublishable({ name: "x", avatarIds: [avatarId], allowedOrigins: [origin] }), origin).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining(origin) });
    }
    await expect(api().apiKeys.createPublishable({ name: "x", avatarIds: [foreignAvatar], allowedOrigins: ["https://a.example"] })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining(foreignAvatar),
    });
    await expect(api().apiKeys.createPublishable({ name: "x", avatarIds: [], allowedOrigins: ["https://a.example"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api().apiKeys.createPublishable({ name: "x", avatarIds: [avatarId], allowedOrigins: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Nothing was stored by the refusals.
    expect((await api().apiKeys.list()).filter((k) => k.name === "x")).toEqual([]);
  });

  it("another workspace cannot revoke or see the key", async () => {
    const created = await api().apiKeys.createPublishable({ name: "site 2", avatarIds: [avatarId], allowedOrigins: ["https://a.example"] });
    await expect(api(other).apiKeys.revoke({ id: created.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await api(other).apiKeys.list()).map((k) => k.id)).not.toContain(created.id);
  });
});
