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

describe("RealtimeSession transport choice", () => {
  /** `start` as a customer's server implements it: the create call with the transport the SDK chose. */
  const startVia = (body: Record<string, unknown>, seen: string[]) => async (transport: { type: string }) => {
    seen.push(transport.type);
    const res = await createSessionAs(world, world.a, { ...body, transport });
    if (res.status !== 201) return res.body as never; // a refusal reaches the SDK as the body it is
    const url = new URL(res.body.url as string);
    url.host = new URL(server.origin).host;
    return { ...res.body, url: url.toString() };
  };

  it("webrtc: libwebrtc as the browser's peer; the typed question is answered over the data channel and the session reports webrtc", async () => {
    const wrtc = (await import("@roamhq/wrtc")).default;
    // Node has no MediaStream or <audio>: libwebrtc's stream, and an element that only holds what it is given.
    const g = globalThis as { MediaStream?: unknown };
    const had = g.MediaStream;
    g.MediaStream = wrtc.MediaStream;
    const audioElement = { autoplay: false, srcObject: null as unknown, play: async () => undefined } as unknown as HTMLAudioElement;
    const seen: string[] = [];
    const session = new RealtimeSession({ transport: "auto", start: startVia({ outputModality: "text", input: "text" }, seen), audioElement, RTCPeerConnection: wrtc.RTCPeerConnection as never });
    try {
      const texts: string[] = [];
      session.on("text", (t) => texts.push(t.text));
      const done = new Promise((r) => session.on("done", r));
      await session.connect();
      expect(session.transport).toBe("webrtc");
      expect(seen).toEqual(["webrtc"]);
      expect(session.remoteStream?.getAudioTracks()).toHaveLength(1);
      session.sendText("what are your hours");
      await done;
      expect(texts.at(-1)?.length).toBeGreaterThan(0);
      const closed = new Promise<{ code: number }>((r) => session.on("close", r));
      session.close();
      expect((await closed).code).toBe(1000);
    } finally {
      session.close();
      g.MediaStream = had;
    }
  });

  it("auto falls back to the socket when WebRTC cannot start, and says so", async () => {
    const seen: string[] = [];
    // No RTCPeerConnection in this runtime (Node without one given): WebRTC cannot start.
    const session = new RealtimeSession({ transport: "auto", start: startVia({}, seen), WebSocket: WebSocket as unknown as SessionSocketCtor });
    await session.connect();
    expect(session.transport).toBe("websocket");
    expect(seen).toEqual(["websocket"]);
    session.close();
  });

  it("webrtc alone does not fall back: a refused offer rejects connect()", async () => {
    const wrtc = (await import("@roamhq/wrtc")).default;
    const g = globalThis as { MediaStream?: unknown };
    const had = g.MediaStream;
    g.MediaStream = wrtc.MediaStream;
    const seen: string[] = [];
    // render: "server" needs a video transceiver, which the SDK offers only with a videoElement: the server refuses the offer.
    const session = new RealtimeSession({ transport: "webrtc", start: startVia({ render: "server", input: "text" }, seen), RTCPeerConnection: wrtc.RTCPeerConnection as never });
    try {
      await expect(session.connect()).rejects.toMatchObject({ name: "TicApiError", status: 422, code: "invalid_sdp" });
      expect(seen).toEqual(["webrtc"]);
      expect(session.transport).toBeNull();
    } finally {
      g.MediaStream = had;
    }
  });
});
