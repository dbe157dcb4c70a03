// The SDK's RealtimeSession against the platform's real session socket (handshake by client secret,
// framing, limits: server/services/live-sessions) on a real database, with the socket tests'
// stand-in conversation behind the seam. In Node the SDK is given `ws`.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { realtimeSessions } from "@/server/db/schema";
import { echoConversations } from "@/server/services/live-sessions/testing/echo-conversation";
import { createSessionAs, useSessionWorld } from "@/server/services/live-sessions/testing/session-world";
import { startSocketServer, type SocketServer } from "@/server/services/live-sessions/testing/socket-server";
import { RealtimeSession, type SessionSocketCtor } from "./realtime-session";

const world = useSessionWorld();
const echo = echoConversations({ speechMsPerReply: 900 });
let server: SocketServer;

beforeAll(async () => {
  server = await startSocketServer(echo.open);
});
afterAll(() => server.close());

/** A session created over REST, its socket URL moved onto the test server. */
async function created() {
  const res = await createSessionAs(world, world.a);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const url = new URL(res.body.url as string);
  url.host = new URL(server.origin).host;
  return { id: res.body.session_id as string, url: url.toString(), secret: res.body.client_secret.value as string };
}

describe.each(["query", "protocol"] as const)("RealtimeSession on the session socket (secret by %s)", (auth) => {
  it("connects, streams audio, gets its text turn answered and closes the session as the client", async () => {
    const s = await created();
    const session = new RealtimeSession({ url: s.url, clientSecret: s.secret, auth, WebSocket: WebSocket as unknown as SessionSocketCtor });
    const seen: string[] = [];
    session.on("status", (st) => seen.push(st));
    session.on("text", (t) => seen.push(`text:${t.text}`));
    session.on("done", (r) => seen.push(`done:${r.usage.speech_ms}`));
    const info = await session.connect();
    expect(info).toMatchObject({ id: s.id, input_sample_rate: 16_000 });

    // audio_config went first, so binary PCM frames are accepted: 10 frames of 20 ms.
    const before = echo.log.audioSamples;
    for (let i = 0; i < 10; i++) session.sendAudio(new Int16Array(320).fill(i));
    await vi.waitFor(() => expect(echo.log.audioSamples - before).toBe(3_200));

    session.sendText("what are your hours");
    await vi.waitFor(() => expect(seen).toContain("done:900"));
    expect(seen).toEqual(["thinking", "text:echo: what are your hours", "done:900", "listening"]);

    const closed = new Promise<{ code: number }>((r) => session.on("close", r));
    session.close();
    expect((await closed).code).toBe(1000);
    await vi.waitFor(async () => expect((await world.db.select().from(realtimeSessions).where(eq(realtimeSessions.id, s.id)))[0]).toMatchObject({ status: "ended", endReason: "client_closed" }), { timeout: 5_000 });
  });
});

it("a reused client secret is refused: connect() rejects and the close carries 4002", async () => {
  const s = await created();
  const first = new RealtimeSession({ url: s.url, clientSecret: s.secret, WebSocket: WebSocket as unknown as SessionSocketCtor });
  await first.connect();
  const second = new RealtimeSession({ url: s.url, clientSecret: s.secret, WebSocket: WebSocket as unknown as SessionSocketCtor });
  const errors: string[] = [];
  second.on("error", (e) => errors.push(e.code));
  const closed = new Promise<{ code: number }>((r) => second.on("close", r));
  await expect(second.connect()).rejects.toMatchObject({ code: "network_error" });
  expect((await closed).code).toBe(4002);
  expect(errors).toEqual(["secret_reused"]);
  first.close();
});
