import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_CLOSE, SESSION_MAX_TEXT_FRAME_BYTES } from "@/core/realtime/session-events";
import { realtimeSessions } from "@/server/db/schema";
import { echoConversations } from "../testing/echo-conversation";
import { compiledPayloads } from "../testing/asyncapi-validator";
import { callSession, clients, connect, createSessionAs, useSessionWorld, type Client } from "../testing/session-world";
import { startSocketServer, type SocketServer } from "../testing/socket-server";
import { SESSION_SUBPROTOCOL } from "./upgrade";

// The session socket through a real HTTP server's upgrade and a `ws` client, on a real database,
// with a stand-in conversation (testing/echo-conversation.ts) behind the seam.

const world = useSessionWorld();
const echo = echoConversations({ speechMsPerReply: 1500, creditMicrosPerMs: 1000 });
let server: SocketServer;

beforeAll(async () => {
  server = await startSocketServer(echo.open);
});
afterAll(() => server.close());

// Every event any socket of this file received is one the AsyncAPI document (/asyncapi.json) describes.
afterAll(() => {
  const payloads = compiledPayloads();
  const events = clients.flatMap((c) => c.events);
  expect(events.length).toBeGreaterThan(50);
  for (const e of events) {
    const validate = payloads.get(e.type);
    expect(validate, `${e.type} is documented`).toBeDefined();
    expect(validate!(e), `${JSON.stringify(e)}: ${JSON.stringify(validate!.errors)}`).toBe(true);
  }
});

async function open(body: Record<string, unknown> = {}, via: "token" | "protocol" = "token", protocols: string[] = []) {
  const created = await createSessionAs(world, world.a, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const client = connect(server.origin, created.body.url, created.body.client_secret.value, via, protocols);
  return { client, id: created.body.session_id as string, secret: created.body.client_secret.value as string, url: created.body.url as string };
}

async function row(id: string) {
  const [r] = await world.db.select().from(realtimeSessions).where(eq(realtimeSessions.id, id));
  return r!;
}

const say = (text: string) => ({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text }] } });

/** Proves the socket still serves: a text turn gets its response.done. */
async function stillServes(client: Client) {
  const before = client.events.filter((e) => e.type === "response.done").length;
  client.send(say("still there?"));
  await vi.waitFor(() => expect(client.events.filter((e) => e.type === "response.done").length).toBe(before + 1), { timeout: 5_000 });
}

describe("connecting", () => {
  it("with the secret as ?token=: session.created, the row connected, a text turn answered", async () => {
    const { client, id } = await open();
    const created = await client.next("session.created");
    expect(created.session).toMatchObject({ id, input_sample_rate: 16000, output_modality: "audio", render: "client" });
    expect((await row(id)).status).toBe("connected");
    client.send(say("hello"));
    expect((await client.next("response.text.delta")).delta).toBe("echo: hello");
    expect((await client.next("response.done")).response.usage).toEqual({ speech_ms: 1500, credit_micros: 1_500_000 });
    client.ws.close(1000);
    await vi.waitFor(async () => expect(await row(id)).toMatchObject({ status: "ended", endReason: "client_closed", speechMs: 1500, billedMicros: 1_500_000 }), { timeout: 5_000 });
    expect(echo.log.closedWith).toBe("client_closed");
  });

  it("with the secret as a subprotocol: the server echoes tic-realtime when offered, else the secret entry", async () => {
    const named = await open({}, "protocol", [SESSION_SUBPROTOCOL]);
    await named.client.next("session.created");
    expect(named.client.ws.protocol).toBe(SESSION_SUBPROTOCOL);
    const bare = await open({}, "protocol");
    await bare.client.next("session.created");
    expect(bare.client.ws.protocol).toBe(bare.secret);
    named.client.ws.close(1000);
    bare.client.ws.close(1000);
  });

  it("a reused secret closes 4002; the first connection keeps working", async () => {
    const { client, url, secret } = await open();
    await client.next("session.created");
    const second = connect(server.origin, url, secret);
    expect((await second.closed).code).toBe(SESSION_CLOSE.secret_reused);
    expect(second.events).toEqual([expect.objectContaining({ type: "error", error: expect.objectContaining({ code: "secret_reused" }) })]);
    await stillServes(client);
    client.ws.close(1000);
  });

  it("two sockets racing with one secret: exactly one connects", async () => {
    const created = await createSessionAs(world, world.a);
    const racers = [0, 1, 2].map(() => connect(server.origin, created.body.url, created.body.client_secret.value));
    await vi.waitFor(() => expect(racers.filter((r) => r.events.length > 0).length).toBe(3), { timeout: 5_000 });
    expect(racers.filter((r) => r.events.some((e) => e.type === "session.created")).length).toBe(1);
    for (const r of racers) r.ws.close(1000);
  });

  it("an expired secret, a wrong one, or none closes 4001; an API key is refused", async () => {
    const { id, url, secret } = await (async () => {
      const c = await createSessionAs(world, world.a);
      return { id: c.body.session_id as string, url: c.body.url as string, secret: c.body.client_secret.value as string };
    })();
    await world.db.update(realtimeSessions).set({ secretExpiresAt: new Date(Date.now() - 1000) }).where(eq(realtimeSessions.id, id));
    const expired = connect(server.origin, url, secret);
    expect((await expired.closed).code).toBe(SESSION_CLOSE.unauthorized);
    expect(expired.events[0]).toMatchObject({ type: "error", error: { code: "secret_expired" } });
    expect(await row(id)).toMatchObject({ status: "ended", endReason: "secret_expired" });
    const other = await createSessionAs(world, world.a);
    for (const token of [`tcs_${"A".repeat(43)}`, world.a.key, null]) {
      const refused = connect(server.origin, other.body.url, token);
      expect((await refused.closed).code).toBe(SESSION_CLOSE.unauthorized);
    }
    // Another session's secret does not open this one.
    const mine = await createSessionAs(world, world.a);
    const crossed = connect(server.origin, other.body.url, mine.body.client_secret.value);
    expect((await crossed.closed).code).toBe(SESSION_CLOSE.unauthorized);
  });
});

describe("bad input gets its documented answer and breaks nothing else", () => {
  it("malformed JSON, unknown type, invalid event, seed aliases", async () => {
    const { client } = await open();
    await client.next("session.created");
    client.send("{not json");
    client.send({ type: "teleport" });
    client.send({ type: "conversation.item.create", event_id: "ev_1", item: { type: "message", role: "user", content: [] } });
    client.send({ type: "interrupt" });
    client.send({ type: "audio_buffer_clear" });
    await vi.waitFor(() => expect(client.events.filter((e) => e.type === "error").length).toBe(3));
    const codes = client.events.flatMap((e) => (e.type === "error" ? [e.error] : []));
    expect(codes).toMatchObject([{ code: "invalid_json" }, { code: "unknown_event" }, { code: "invalid_event", event_id: "ev_1" }]);
    await stillServes(client);
    // The aliases reached the conversation under their OpenAI names.
    expect(echo.log.events.map((e) => e.type)).toEqual(expect.arrayContaining(["response.cancel", "input_audio_buffer.clear"]));
    client.ws.close(1000);
  });

  it("audio: binary before audio_config, odd lengths and bad base64 are invalid_audio; valid PCM reaches the conversation", async () => {
    const { client } = await open();
    await client.next("session.created");
    const before = echo.log.audioSamples;
    client.ws.send(Buffer.alloc(320));
    client.send({ type: "audio_config", sample_rate: 48000, channel_count: 1 });
    client.ws.send(Buffer.alloc(321));
    client.send({ type: "input_audio_buffer.append", audio: "@@not base64@@" });
    client.send({ type: "audio_buffer_append", audio: Buffer.alloc(3).toString("base64") });
    client.ws.send(Buffer.alloc(960));
    client.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(640).toString("base64") });
    client.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff, 0x00])); // "garbage" of even length is still PCM16
    await vi.waitFor(() => expect(echo.log.audioSamples - before).toBe(480 + 320 + 3));
    // The errors were sent before the later frames were counted; they may still be on the wire.
    await vi.waitFor(() => expect(client.events.flatMap((e) => (e.type === "error" ? [e.error.code] : []))).toEqual(["invalid_audio", "invalid_audio", "invalid_audio", "invalid_audio"]));
    await stillServes(client);
    client.ws.close(1000);
  });

  it("an oversize frame closes 1009 and ends the session; other sessions keep serving", async () => {
    const bystander = await open();
    await bystander.client.next("session.created");
    const { client, id } = await open();
    await client.next("session.created");
    client.ws.send(Buffer.alloc(SESSION_MAX_TEXT_FRAME_BYTES + 1));
    expect((await client.closed).code).toBe(SESSION_CLOSE.too_big);
    await vi.waitFor(async () => expect(await row(id)).toMatchObject({ status: "ended", endReason: "error" }), { timeout: 5_000 });
    await stillServes(bystander.client);
    bystander.client.ws.close(1000);
  });

  it("a flood past 100 messages a second: rate_limited, and a persisting one closes 4008", async () => {
    const { client } = await open();
    await client.next("session.created");
    for (let i = 0; i < 150; i++) client.send({ type: "session.keep_alive" });
    const warned = await client.next("error");
    expect(warned.error).toMatchObject({ code: "rate_limited", retryable: true });
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    await new Promise((r) => setTimeout(r, 1100));
    await stillServes(client);

    const flood = await open();
    await flood.client.next("session.created");
    for (let i = 0; i < 500; i++) flood.client.send({ type: "session.keep_alive" });
    expect((await flood.client.closed).code).toBe(SESSION_CLOSE.rate_limited);
    client.ws.close(1000);
  });
});

describe("ends", () => {
  it("idle_timeout_s without client events ends with idle_timeout", async () => {
    const { client, id } = await open({ idle_timeout_s: 1 });
    await client.next("session.created");
    expect((await client.next("session.ended", 4_000)).reason).toBe("idle_timeout");
    expect((await client.closed).code).toBe(SESSION_CLOSE.normal);
    await vi.waitFor(async () => expect((await row(id)).endReason).toBe("idle_timeout"));
  });

  it("max_seconds ends with max_duration even while the client is active", async () => {
    const { client, id } = await open({ max_seconds: 2 });
    await client.next("session.created");
    const busy = setInterval(() => client.send(say("keep going")), 300);
    expect((await client.next("session.ended", 5_000)).reason).toBe("max_duration");
    clearInterval(busy);
    await vi.waitFor(async () => expect(await row(id)).toMatchObject({ status: "ended", endReason: "max_duration" }));
    const r = await row(id);
    expect(r.endedAt!.getTime() - r.connectedAt!.getTime()).toBeGreaterThanOrEqual(1900);
    expect(r.speechMs).toBeGreaterThan(0);
  });

  it("POST …/end while connected: the socket gets session.ended ended_by_api within ~1 s; ending again answers the same", async () => {
    const { client, id } = await open();
    await client.next("session.created");
    client.send(say("bill me"));
    await client.next("response.done");
    const t0 = Date.now();
    const ended = await callSession(world, "end", world.a, id);
    expect(ended.status).toBe(200);
    expect((await client.next("session.ended", 3_000)).reason).toBe("ended_by_api");
    console.log(`REST end → session.ended on the socket: ${Date.now() - t0} ms`);
    expect(Date.now() - t0).toBeLessThan(1_500);
    await client.closed;
    await vi.waitFor(async () => expect(await row(id)).toMatchObject({ status: "ended", endReason: "ended_by_api", speechMs: 1500, billedMicros: 1_500_000 }));
    const again = await callSession(world, "end", world.a, id);
    expect(again).toMatchObject({ status: 200, body: { status: "ended", end_reason: "ended_by_api", speech_ms: 1500, billed_speech_seconds: 1.5 } });
  });

  it("a close frame without a code is the client's end (client_closed), at once", async () => {
    const { client, id } = await open();
    await client.next("session.created");
    client.ws.close();
    await vi.waitFor(async () => expect(await row(id)).toMatchObject({ status: "ended", endReason: "client_closed" }), { timeout: 2_000 });
  });

  it("a dropped connection ends the session `disconnected` after the grace", async () => {
    const { client, id } = await open();
    await client.next("session.created");
    client.ws.terminate();
    await new Promise((r) => setTimeout(r, 500));
    expect((await row(id)).status).toBe("connected");
    await vi.waitFor(async () => expect(await row(id)).toMatchObject({ status: "ended", endReason: "disconnected" }), { timeout: 10_000, interval: 250 });
  });

  it("a conversation that cannot start: the client gets its coded error and the session ends", async () => {
    const broken = await startSocketServer(echoConversations({ failWith: new (await import("@/server/errors")).AppError("language_unsupported", "The recogniser cannot do xx.", { kind: "invalid_input" }) }).open);
    try {
      const created = await createSessionAs(world, world.a);
      const client = connect(broken.origin, created.body.url, created.body.client_secret.value);
      expect((await client.next("error")).error).toMatchObject({ code: "language_unsupported" });
      expect((await client.closed).code).toBe(SESSION_CLOSE.internal);
      await vi.waitFor(async () => expect((await row(created.body.session_id)).endReason).toBe("error"));
    } finally {
      await broken.close();
    }
  });

  it("server shutdown ends open sessions with server_shutdown (1001)", async () => {
    const other = await startSocketServer(echo.open);
    const created = await createSessionAs(world, world.a);
    const client = connect(other.origin, created.body.url, created.body.client_secret.value);
    await client.next("session.created");
    await other.close();
    expect((await client.next("session.ended")).reason).toBe("server_shutdown");
    expect((await client.closed).code).toBe(SESSION_CLOSE.going_away);
    expect(await row(created.body.session_id)).toMatchObject({ status: "ended", endReason: "server_shutdown" });
  });
});
