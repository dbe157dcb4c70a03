// Live sessions end to end: the REST create, the socket through a real HTTP server's upgrade and
// the production conversation loop (openConversation: Silero turn detection, the embedded
// pocketsphinx recogniser, the FAQ responder of a test key, espeak-ng, the viseme model) on a
// prepared portrait avatar. A spoken question and a typed one in two sessions of one thread, the
// avatar's audio arriving as binary mux frames, a REST end while connected, and the billed figures.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MuxReader } from "@/core/mux";
import type { ServerEvent } from "@/core/realtime/session-events";
import { realtimeSessions, webhookDeliveries } from "@/server/db/schema";
import { callRoute } from "@/server/http/testing/test-api";
import { joinPcm, silence, spoken } from "../speech/testing/speech-audio";
import { sessionUpgradeBridge } from "./socket";
import { useTurnWorld } from "../realtime/testing/turn-fixture";
import { setWebhookEndpoint } from "../webhooks";
import { connect } from "./testing/session-world";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const OPENING = "The station opens at nine in the morning and closes at six in the evening.";
const world = useTurnWorld("live-loop", 600_000_000, {
  persona: "You are Ada, the station guide.",
  knowledge: [{ question: "When does the station open?", answer: OPENING }],
});

let server: Server;
let origin: string;
let bridge: ReturnType<typeof sessionUpgradeBridge>;
beforeAll(async () => {
  bridge = sessionUpgradeBridge();
  server = createServer((_q, r) => r.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => void (bridge.handle(req, socket, head) || socket.destroy()));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await bridge.close();
  await new Promise<void>((done) => server.close(() => done()));
});

async function route(path: string) {
  return (await import(/* @vite-ignore */ path)) as Record<string, (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>;
}

async function create(body: Record<string, unknown>) {
  const { POST } = await route("@/app/api/v1/realtime/sessions/route");
  const res = await callRoute(POST!, { method: "POST", path: "/api/v1/realtime/sessions", key: world.caller.key, body: { outputModality: "audio", avatar_id: world.avatarId, ...body } });
  expect(res.status).toBe(201);
  return (await res.json()) as { session_id: string; url: string; threadId: string; client_secret: { value: string } };
}

function muxKinds(binaries: Buffer[]): string[] {
  const reader = new MuxReader();
  const kinds: string[] = [];
  for (const b of binaries) for (const rec of reader.push(new Uint8Array(b))) kinds.push(rec.kind);
  return kinds;
}

describe("a live session end to end (production loop)", () => {
  it("a spoken question is heard, transcribed and answered with avatar audio + motion; a typed one in a second session of the thread too; REST end bills what was spoken", async () => {
    // The workspace's webhook: each end below queues its signed session.ended delivery (this machine
    // has no route to the receiver; the queued delivery and its body are what this test checks).
    await setWebhookEndpoint(world.db, world.caller.tenantId, { url: "https://hooks.example.com/tic", enabled: true });
    const first = await create({ turn_detection: { type: "server_vad", silence_duration_ms: 400 } });
    const a = connect(origin, first.url, first.client_secret.value);
    await a.next("session.created", 20_000);
    a.send({ type: "audio_config", sample_rate: 16000, channel_count: 1 });
    const question = joinPcm(silence(300), await spoken("When does the station open?"), silence(1200));
    const bytes = Buffer.from(question.buffer, question.byteOffset, question.byteLength);
    for (let i = 0; i < bytes.length; i += 3200) {
      a.ws.send(bytes.subarray(i, i + 3200));
      await new Promise((r) => setTimeout(r, 40)); // ~real time (100 ms of audio every 40 ms)
    }
    const heard = await a.next("conversation.item.input_audio_transcription.completed", 30_000);
    expect(heard.transcript.length).toBeGreaterThan(0);
    const done = await a.next("response.done", 60_000);
    expect(done.response.status).toBe("completed");
    expect(done.response.usage.speech_ms).toBeGreaterThan(500);
    console.log(`heard "${heard.transcript}"; answered with ${done.response.usage.speech_ms} ms of speech (${done.response.usage.credit_micros} credit micros)`);
    const kinds = muxKinds(a.binaries);
    expect(kinds[0]).toBe("header");
    expect(kinds).toContain("audio");
    expect(kinds).toContain("motion");
    const order = a.events.map((e: ServerEvent) => e.type);
    expect(order.indexOf("input_audio_buffer.speech_started")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("input_audio_buffer.speech_started")).toBeLessThan(order.indexOf("response.done"));

    const { POST: end } = await route("@/app/api/v1/realtime/sessions/[sessionId]/end/route");
    const ended = await callRoute(end!, { method: "POST", path: `/api/v1/realtime/sessions/${first.session_id}/end`, key: world.caller.key, params: { sessionId: first.session_id } });
    expect(ended.status).toBe(200);
    expect((await a.next("session.ended", 5_000)).reason).toBe("ended_by_api");
    await vi.waitFor(async () => {
      const [row] = await world.db.select().from(realtimeSessions).where(eq(realtimeSessions.id, first.session_id));
      expect(row).toMatchObject({ status: "ended", endReason: "ended_by_api", speechMs: done.response.usage.speech_ms, billedMicros: done.response.usage.credit_micros });
    });

    const second = await create({ threadId: first.threadId, input: "text" });
    expect(second.threadId).toBe(first.threadId);
    const b = connect(origin, second.url, second.client_secret.value);
    await b.next("session.created", 20_000);
    b.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "When does the station open?" }] } });
    await b.next("response.done", 60_000);
    expect(b.events.flatMap((e) => (e.type === "response.text.delta" ? [e.delta] : [])).join("").trim()).toBe(OPENING);
    b.ws.close(1000);
    await b.closed;

    const { GET } = await route("@/app/api/v1/realtime/sessions/[sessionId]/route");
    await vi.waitFor(async () => {
      const got = await callRoute(GET!, { path: `/api/v1/realtime/sessions/${second.session_id}`, key: world.caller.key, params: { sessionId: second.session_id } });
      const body = (await got.json()) as { status: string; end_reason: string; transcript: { role: string; text: string }[] };
      expect(body).toMatchObject({ status: "ended", end_reason: "client_closed" });
      expect(body.transcript.map((t) => [t.role, t.text.trim()])).toEqual([
        ["user", "When does the station open?"],
        ["assistant", OPENING],
      ]);
    });

    // One session.ended delivery per session, holding the final billed figures and the transcript.
    await vi.waitFor(async () => {
      const rows = await world.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.tenantId, world.caller.tenantId));
      const bySession = new Map(rows.map((r) => [r.subjectId, JSON.parse(r.body) as { type: string; data: Record<string, unknown> }]));
      expect(rows.filter((r) => r.event === "session.ended")).toHaveLength(2);
      expect(JSON.stringify(bySession.get(first.session_id))).toContain(String(done.response.usage.credit_micros));
      expect(JSON.stringify(bySession.get(second.session_id))).toContain(OPENING);
    });
  });
});
