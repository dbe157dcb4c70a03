// The dashboard's sessions through tRPC: Talk creates a sandbox voice session the browser can join,
// the list and the transcript view read the workspace's own sessions only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import { createCaller } from "@/server/api/root";
import { avatars, realtimeSessions, threadMessages } from "@/server/db/schema";
import { seedTenant } from "@/server/http/testing/test-api";
import { TEST_DATABASES, type TestDatabase } from "@/server/testing/databases";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

describe.each(TEST_DATABASES)("dashboard sessions on %s", (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.close());

  const callerOf = (tenant: { ownerUserId: string }, host = "localhost:3100") =>
    createCaller({ db: t.db, user: { id: tenant.ownerUserId, email: "o@example.test", name: null }, headers: new Headers({ host }), resHeaders: new Headers() });

  async function readyAvatar(tenantId: string, name: string) {
    const id = newId("ava");
    await t.db.insert(avatars).values({ id, tenantId, displayName: name, sourceKind: "image", modelId: "tic-portrait-v1", status: "ready" });
    return id;
  }

  it("Talk starts a sandbox session on this host's socket; the list and transcript show it to its workspace only", async () => {
    const a = await seedTenant(t.db);
    const b = await seedTenant(t.db);
    const avatarId = await readyAvatar(a.id, "Concierge");
    const talk = await callerOf(a).sessions.talk({ avatarId });
    expect(talk.url).toBe(`ws://localhost:3100/api/v1/realtime/sessions/${talk.session_id}/socket`);
    expect(talk.client_secret.value).toMatch(/^tcs_/);
    const [row] = await t.db.select().from(realtimeSessions).where(eq(realtimeSessions.id, talk.session_id));
    expect(row).toMatchObject({ tenantId: a.id, environment: "test", apiKeyId: null, status: "created", avatarId });

    // What the conversation would have written, and an end.
    await t.db.insert(threadMessages).values([
      { tenantId: a.id, threadId: talk.threadId, sessionId: talk.session_id, role: "user", text: "where can I park", startMs: 900, endMs: 2_000 },
      { tenantId: a.id, threadId: talk.threadId, sessionId: talk.session_id, role: "assistant", text: "In the garage", startMs: 2_600, endMs: 3_900, interrupted: true },
    ]);
    const connectedAt = new Date(Date.now() - 70_000);
    await t.db.update(realtimeSessions).set({ status: "ended", connectedAt, endedAt: new Date(connectedAt.getTime() + 65_000), endReason: "client_closed", speechMs: 1_300, billedMicros: 1_300_000 }).where(eq(realtimeSessions.id, talk.session_id));

    const { sessions } = await callerOf(a).sessions.list();
    expect(sessions).toEqual([expect.objectContaining({ id: talk.session_id, avatarName: "Concierge", environment: "test", status: "ended", durationMs: 65_000, speechMs: 1_300, endReason: "client_closed" })]);
    const detail = await callerOf(a).sessions.get({ id: talk.session_id });
    expect(detail.transcript.map((m) => [m.role, m.text, m.interrupted])).toEqual([["user", "where can I park", false], ["assistant", "In the garage", true]]);

    expect((await callerOf(b).sessions.list()).sessions).toEqual([]);
    await expect(callerOf(b).sessions.get({ id: talk.session_id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerOf(b).sessions.talk({ avatarId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages the list newest first", async () => {
    const a = await seedTenant(t.db);
    const avatarId = await readyAvatar(a.id, "Guide");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { session_id } = await callerOf(a).sessions.talk({ avatarId });
      ids.push(session_id);
      await t.db.update(realtimeSessions).set({ status: "ended", endReason: "ended_by_api", endedAt: new Date() }).where(eq(realtimeSessions.id, session_id));
    }
    const first = await callerOf(a).sessions.list({ limit: 2 });
    expect(first.sessions.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    const second = await callerOf(a).sessions.list({ limit: 2, before: first.nextBefore! });
    expect(second.sessions.map((s) => s.id)).toEqual([ids[0]]);
    expect(second.nextBefore).toBeNull();
  });
});
