import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { realtimeSessions, threadMessages } from "@/server/db/schema";
import { callRoute } from "@/server/http/testing/test-api";
import { ESPEAK_VOICE_OF } from "./voices";
import { callSession, createSessionAs, readyAvatar, useSessionWorld, workspace } from "./testing/session-world";

// The REST side of live sessions through the real route handlers (apiRoute: auth, scopes,
// idempotency, errors) on a real database.

// Read once with the rest of the environment, before the world's database opens.
process.env.REALTIME_SESSION_LIMITS = JSON.stringify({ capped: 2 });
const world = useSessionWorld();

describe("POST /api/v1/realtime/sessions", () => {
  it("answers 201 with the session, a one-time client secret, the socket url and a new thread", async () => {
    const res = await createSessionAs(world, world.a, { voice: "alloy", prompt: "You are Ada.", sessionId: "call-42", metadata: { order: 7 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const b = res.body;
    expect(b.session_id).toMatch(/^ses_[0-9a-z]{20}$/);
    expect(b.id).toBe(b.session_id);
    expect(b.threadId).toMatch(/^thr_/);
    expect(b.url).toBe(`ws://localhost/api/v1/realtime/sessions/${b.session_id}/socket`);
    expect(b.client_secret.value).toMatch(/^tcs_[A-Za-z0-9_-]{43}$/);
    const ttl = Date.parse(b.client_secret.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(Date.parse(b.expires_at)).toBe(Date.parse(b.client_secret.expires_at) + 1800 * 1000);
    expect(b).toMatchObject({ status: "created", outputModality: "audio", sessionId: "call-42", voice: ESPEAK_VOICE_OF.alloy, input: "voice", render: "client", language: "en", metadata: { order: 7 } });
    expect(b.turn_detection).toMatchObject({ type: "server_vad", silence_duration_ms: 500 });
    // Only the secret's hash is stored.
    const [row] = await world.db.select().from(realtimeSessions).where(eq(realtimeSessions.id, b.session_id));
    expect(JSON.stringify(row)).not.toContain(b.client_secret.value);
  });

  it("our own voice ids pass through; an unknown or other provider's voice is a 422 naming voice", async () => {
    expect((await createSessionAs(world, world.a, { voice: "espeak:de+m2" })).body.voice).toBe("espeak:de+m2");
    for (const voice of ["nonsense", "openai:alloy"]) {
      const res = await createSessionAs(world, world.a, { voice });
      expect(res.status).toBe(422);
      expect(res.body.error).toContain("voice");
    }
  });

  it("transport webrtc with an offer that is no SDP is a coded 422 (webrtc/webrtc.int.test.ts runs real offers); websocket and null are accepted", async () => {
    const rtc = await createSessionAs(world, world.a, { transport: { type: "webrtc", sdp: "v=0" } });
    expect(rtc.status).toBe(422);
    expect(rtc.body).toMatchObject({ code: "invalid_sdp", retryable: false });
    expect(rtc.body.error).toContain("transport.sdp");
    expect((await createSessionAs(world, world.a, { transport: { type: "websocket" } })).status).toBe(201);
    expect((await createSessionAs(world, world.a, { transport: null, voice: null, prompt: null, sessionId: null })).status).toBe(201);
  });

  it("video_format fmp4 needs server rendering of speech: otherwise a coded 422 on the field; with it, it is stored and shown", async () => {
    for (const body of [{ video_format: "fmp4" }, { video_format: "fmp4", render: "server", outputModality: "text" }]) {
      const res = await createSessionAs(world, world.a, body);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: "invalid_input" });
      expect(res.body.error).toContain("video_format");
    }
    const ok = await createSessionAs(world, world.a, { video_format: "fmp4", render: "server" });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ render: "server", video_format: "fmp4" });
    expect((await createSessionAs(world, world.a, {})).body).toMatchObject({ video_format: "mux" });
  });

  it("a language the recogniser cannot do is a coded 422 at create (a voice session); a text session or a known language is created", async () => {
    const de = await createSessionAs(world, world.a, { language: "de-DE" });
    expect(de.status).toBe(422);
    expect(de.body).toMatchObject({ code: "unsupported_language", retryable: false });
    expect(de.body.error).toContain('"de-DE"');
    expect((await createSessionAs(world, world.a, { language: "de-DE", input: "text" })).status).toBe(201);
    expect((await createSessionAs(world, world.a, { language: "en-US" })).status).toBe(201);
  });

  it("validates the body: outputModality and avatar_id required, unknown fields refused", async () => {
    const missing = await callRoute(world.routes.create, { method: "POST", path: "/api/v1/realtime/sessions", key: world.a.key, body: { avatar_id: world.a.avatarId } });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: string }).error).toContain("outputModality");
    expect((await createSessionAs(world, world.a, { avatar_id: undefined })).status).toBe(422);
    expect((await createSessionAs(world, world.a, { nope: 1 })).status).toBe(422);
    expect((await createSessionAs(world, world.a, { turn_detection: { type: "none" }, input: "text", render: "server", max_seconds: 60, idle_timeout_s: 10 })).status).toBe(201);
    expect((await createSessionAs(world, world.a, { max_seconds: 0 })).status).toBe(422);
  });

  it("another tenant's avatar or thread is 404; a thread continues across sessions of its workspace", async () => {
    expect((await createSessionAs(world, world.a, { avatar_id: world.b.avatarId })).status).toBe(404);
    const first = await createSessionAs(world, world.a);
    const again = await createSessionAs(world, world.a, { threadId: first.body.threadId });
    expect(again.status).toBe(201);
    expect(again.body.threadId).toBe(first.body.threadId);
    const foreign = await createSessionAs(world, world.b, { threadId: first.body.threadId });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe("not_found");
    // A thread stays with its avatar.
    const other = await readyAvatar(world.db, world.a.tenantId);
    expect((await createSessionAs(world, world.a, { threadId: first.body.threadId, avatar_id: other })).status).toBe(422);
  });

  it("Idempotency-Key: a reuse never replays the client secret (409 naming the session)", async () => {
    const headers = { "idempotency-key": "session-create-1" };
    const first = await createSessionAs(world, world.a, {}, headers);
    expect(first.status).toBe(201);
    const again = await createSessionAs(world, world.a, {}, headers);
    expect(again.status).toBe(409);
    expect(again.body.error).toContain(first.body.session_id);
    expect(JSON.stringify(again.body)).not.toContain(first.body.client_secret.value);
  });
});

describe("reading and ending sessions", () => {
  it("GET one with its transcript; another tenant's id is 404", async () => {
    const created = await createSessionAs(world, world.a);
    const id = created.body.session_id as string;
    await world.db.insert(threadMessages).values([
      { tenantId: world.a.tenantId, threadId: created.body.threadId, sessionId: id, role: "user", text: "What are your hours?", startMs: 400, endMs: 1900 },
      { tenantId: world.a.tenantId, threadId: created.body.threadId, sessionId: id, role: "assistant", text: "We open at nine", interrupted: true, startMs: 2300, endMs: 3100 },
    ]);
    const got = await callSession(world, "get", world.a, id);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ session_id: id, status: "created", threadId: created.body.threadId });
    expect(got.body.client_secret).toBeUndefined();
    expect(got.body.transcript).toMatchObject([
      { role: "user", text: "What are your hours?", start_ms: 400, end_ms: 1900, interrupted: false },
      { role: "assistant", text: "We open at nine", interrupted: true },
    ]);
    expect((await callSession(world, "get", world.b, id)).status).toBe(404);
    expect((await callSession(world, "end", world.b, id)).status).toBe(404);
    expect((await callSession(world, "get", world.a, "ses_doesnotexist0000000")).status).toBe(404);
  });

  it("POST …/end ends a session and is idempotent", async () => {
    const id = (await createSessionAs(world, world.a)).body.session_id as string;
    const ended = await callSession(world, "end", world.a, id);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: "ended", end_reason: "ended_by_api", ended_at: expect.any(String) });
    const again = await callSession(world, "end", world.a, id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: "ended", end_reason: "ended_by_api", ended_at: ended.body.ended_at });
  });

  it("a secret left unused past its expiry ends its session secret_expired", async () => {
    const id = (await createSessionAs(world, world.a)).body.session_id as string;
    await world.db.update(realtimeSessions).set({ secretExpiresAt: new Date(Date.now() - 1000) }).where(eq(realtimeSessions.id, id));
    expect((await callSession(world, "get", world.a, id)).body).toMatchObject({ status: "ended", end_reason: "secret_expired" });
  });

  it("lists newest first in cursor pages, filtered by status and avatar", async () => {
    const avatar = await readyAvatar(world.db, world.a.tenantId);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createSessionAs(world, world.a, { avatar_id: avatar })).body.session_id);
    await callSession(world, "end", world.a, ids[1]!);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await callRoute(world.routes.list, { path: `/api/v1/realtime/sessions?limit=2&avatar_id=${avatar}${cursor ? `&cursor=${cursor}` : ""}`, key: world.a.key });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: { session_id: string; duration_ms: number; billed_speech_seconds: number; end_reason: string | null }[]; next_cursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      for (const s of page.data) expect(s).toMatchObject({ duration_ms: expect.any(Number), billed_speech_seconds: 0 });
      seen.push(...page.data.map((s) => s.session_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const ended = await callRoute(world.routes.list, { path: `/api/v1/realtime/sessions?status=ended&avatar_id=${avatar}`, key: world.a.key });
    expect(((await ended.json()) as { data: { session_id: string; end_reason: string }[] }).data).toEqual([expect.objectContaining({ session_id: ids[1], end_reason: "ended_by_api" })]);
    // Another workspace sees none of them; a forged cursor is a 422.
    const other = await callRoute(world.routes.list, { path: `/api/v1/realtime/sessions?avatar_id=${avatar}`, key: world.b.key });
    expect(((await other.json()) as { data: unknown[] }).data).toEqual([]);
    expect((await callRoute(world.routes.list, { path: "/api/v1/realtime/sessions?cursor=bm9wZQ", key: world.a.key })).status).toBe(422);
  });
});

describe("the socket URL without a WebSocket upgrade", () => {
  it("answers 426 in the error contract, naming what to do", async () => {
    const { GET } = await import("@/app/api/v1/realtime/sessions/[sessionId]/socket/route");
    const res = await GET();
    expect(res.status).toBe(426);
    expect(res.headers.get("upgrade")).toBe("websocket");
    expect(await res.json()).toMatchObject({ status: 426, code: "upgrade_required", retryable: false, error: expect.stringContaining("client_secret") });
  });
});

describe("the per-workspace cap on concurrent sessions", () => {
  it("beyond the plan's cap: 429 with Retry-After and a position-free message; an ended or expired session frees its place", async () => {
    const capped = await workspace(world.db, "capped");
    const first = await createSessionAs(world, capped);
    const second = await createSessionAs(world, capped);
    expect([first.status, second.status]).toEqual([201, 201]);
    const refused = await createSessionAs(world, capped);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ code: "session_limit_reached", retryable: true });
    expect(refused.body.error).toContain("maximum number of live sessions (2)");
    expect(refused.body.error).not.toMatch(/position|queue|#\d/i);
    // Another workspace is not affected.
    expect((await createSessionAs(world, world.b)).status).toBe(201);
    // Ending one frees a place; so does a secret left to expire.
    await callSession(world, "end", capped, first.body.session_id);
    expect((await createSessionAs(world, capped)).status).toBe(201);
    expect((await createSessionAs(world, capped)).status).toBe(429);
    await world.db.update(realtimeSessions).set({ secretExpiresAt: new Date(Date.now() - 1000) }).where(eq(realtimeSessions.id, second.body.session_id));
    expect((await createSessionAs(world, capped)).status).toBe(201);
  });

  it("two creates racing for the last place: exactly one wins", async () => {
    const capped = await workspace(world.db, "capped");
    expect((await createSessionAs(world, capped)).status).toBe(201);
    const raced = await Promise.all([createSessionAs(world, capped), createSessionAs(world, capped), createSessionAs(world, capped)]);
    expect(raced.map((r) => r.status).sort()).toEqual([201, 429, 429]);
  });

  it("a connected session whose holder stopped beating is swept (error) and frees its place", async () => {
    const capped = await workspace(world.db, "capped");
    const ids = [(await createSessionAs(world, capped)).body.session_id, (await createSessionAs(world, capped)).body.session_id];
    const stale = new Date(Date.now() - 120_000);
    await world.db.update(realtimeSessions).set({ status: "connected", secretUsedAt: stale, connectedAt: stale, heartbeatAt: stale }).where(eq(realtimeSessions.id, ids[0]));
    expect((await createSessionAs(world, capped)).status).toBe(201);
    expect((await callSession(world, "get", capped, ids[0])).body).toMatchObject({ status: "ended", end_reason: "error" });
  });
});
