// The browser session against a scripted peer on a real WebSocket (the `ws` server and client, as in
// Node the SDK is given `ws`): what it sends, how it dispatches what it gets, and what the player does.
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { MuxWriter } from "../../../../core/mux";
import type { ServerEvent } from "../../../../core/realtime/session-events";
import { AvatarPlayer } from "../player/avatar-player";
import type { PlayerAudioContext, PlayerAudioSource } from "../player/audio-types";
import type { FrameSink } from "../player/frame-sink";
import { RealtimeSession, type SessionSocketCtor } from "./realtime-session";

/** Web Audio cannot run in Node: a clock that stands still, recording what was scheduled and stopped. */
class FakeAudioContext implements PlayerAudioContext {
  currentTime = 5;
  state = "running";
  destination = {};
  scheduled = 0;
  stopped = 0;
  async resume() {}
  createBuffer(_c: number, length: number) {
    return { length, copyToChannel() {} };
  }
  createBufferSource(): PlayerAudioSource {
    return { buffer: null, onended: null, connect: () => undefined, start: () => void this.scheduled++, stop: () => void this.stopped++ };
  }
}
const sink: FrameSink = { tier: "canvas2d", drawMotion() {}, drawVideo() {} };
const frames = { request: () => 1, cancel: () => undefined };

let wss: WebSocketServer | null = null;
afterEach(() => wss?.close());

/** A peer that records what the client sent and lets the test speak for the server. */
async function peer() {
  wss = new WebSocketServer({ port: 0, handleProtocols: (p) => [...p][0] ?? false });
  await new Promise<void>((r) => wss!.once("listening", () => r()));
  const port = (wss.address() as AddressInfo).port;
  const got = { urls: [] as string[], protocols: [] as string[], json: [] as Record<string, unknown>[], binary: [] as Buffer[] };
  const connected = new Promise<WebSocket>((resolve) =>
    wss!.on("connection", (ws, req) => {
      got.urls.push(req.url ?? "");
      got.protocols.push(String(req.headers["sec-websocket-protocol"] ?? ""));
      ws.on("message", (data, isBinary) => (isBinary ? got.binary.push(data as Buffer) : got.json.push(JSON.parse(String(data)))));
      resolve(ws);
    }),
  );
  const say = async (ws: WebSocket, e: ServerEvent | Uint8Array) => {
    ws.send(e instanceof Uint8Array ? e : JSON.stringify(e));
    await new Promise((r) => setTimeout(r, 15));
  };
  return { url: `ws://127.0.0.1:${port}/api/v1/realtime/sessions/ses_1/ws`, got, connected, say };
}

const created: ServerEvent = { type: "session.created", session: { id: "ses_1", thread_id: "thr_1", input_sample_rate: 24_000, output_modality: "audio", render: "client", video_format: "mux", expires_at: "2030-01-01T00:00:00Z" } };
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe("RealtimeSession", () => {
  it("connects with the secret as `token`, configures audio first and streams PCM as binary frames", async () => {
    const p = await peer();
    const session = new RealtimeSession({ url: p.url, clientSecret: "cs_secret_1", WebSocket: WebSocket as unknown as SessionSocketCtor, bufferStatusMs: 20 });
    const ready = session.connect();
    const ws = await p.connected;
    await p.say(ws, created);
    expect(await ready).toMatchObject({ id: "ses_1", input_sample_rate: 24_000 });
    await until(() => p.got.json.length > 0);
    expect(new URL(p.got.urls[0]!, "http://x").searchParams.get("token")).toBe("cs_secret_1");
    expect(p.got.json[0]).toEqual({ type: "audio_config", sample_rate: 16_000, channel_count: 1 });

    session.sendAudio(Int16Array.from({ length: 480 }, (_, i) => i - 240));
    await until(() => p.got.binary.length > 0 && p.got.json.some((e) => e.type === "buffer_status"));
    expect(new Int16Array(new Uint8Array(p.got.binary[0]!).buffer)).toEqual(Int16Array.from({ length: 480 }, (_, i) => i - 240));
    expect(p.got.json.find((e) => e.type === "buffer_status")).toEqual({ type: "buffer_status", buffered_ms: 0, playback_position: 0 });
    session.close();
  });

  it("can authenticate with the subprotocol instead", async () => {
    const p = await peer();
    const session = new RealtimeSession({ url: p.url, clientSecret: "cs_secret_2", auth: "protocol", WebSocket: WebSocket as unknown as SessionSocketCtor });
    void session.connect().catch(() => undefined);
    await p.connected;
    expect(p.got.protocols[0]).toBe("tic-realtime,cs_secret_2");
    expect(new URL(p.got.urls[0]!, "http://x").searchParams.has("token")).toBe(false);
    session.close();
  });

  it("dispatches typed events: status, the user's words, the reply text, the end", async () => {
    const p = await peer();
    const session = new RealtimeSession({ url: p.url, clientSecret: "s", WebSocket: WebSocket as unknown as SessionSocketCtor });
    const seen: string[] = [];
    session.on("status", (s) => seen.push(`status:${s}`));
    session.on("user_transcript", (t) => seen.push(`user:${t.text}:${t.final}`));
    session.on("text", (t) => seen.push(`text:${t.text}`));
    session.on("done", (r) => seen.push(`done:${r.status}:${r.usage.credit_micros}`));
    session.on("ended", (e) => seen.push(`ended:${e.reason}`));
    session.on("error", (e) => seen.push(`error:${e.code}`));
    const closed = new Promise((r) => session.on("close", r));
    const ready = session.connect();
    const ws = await p.connected;
    await p.say(ws, created);
    await ready;
    await p.say(ws, { type: "status", status: "listening" });
    await p.say(ws, { type: "conversation.item.input_audio_transcription.delta", item_id: "it_1", delta: "what are " });
    await p.say(ws, { type: "conversation.item.input_audio_transcription.delta", item_id: "it_1", delta: "your hours" });
    await p.say(ws, { type: "conversation.item.input_audio_transcription.completed", item_id: "it_1", transcript: "what are your hours" });
    await p.say(ws, { type: "status", status: "thinking" });
    await p.say(ws, { type: "response.created", response: { id: "resp_1" } });
    await p.say(ws, { type: "response.text.delta", response_id: "resp_1", delta: "We open " });
    await p.say(ws, { type: "response.text.delta", response_id: "resp_1", delta: "at nine." });
    await p.say(ws, { type: "response.done", response: { id: "resp_1", status: "completed", usage: { speech_ms: 1200, credit_micros: 1_200_000 } } });
    await p.say(ws, { type: "error", error: { code: "insufficient_credits", message: "no credits", retryable: false } });
    ws.send("{not json");
    await p.say(ws, { type: "session.ended", reason: "idle_timeout" });
    ws.close(1000, "idle_timeout");
    await closed;
    expect(seen).toEqual([
      "status:listening",
      "user:what are :false",
      "user:what are your hours:false",
      "user:what are your hours:true",
      "status:thinking",
      "text:We open ",
      "text:We open at nine.",
      "done:completed:1200000",
      "error:insufficient_credits",
      "ended:idle_timeout",
    ]);
  });

  it("answers a function call with its handler's result, and a failing one with the error", async () => {
    const p = await peer();
    const session = new RealtimeSession({ url: p.url, clientSecret: "s", WebSocket: WebSocket as unknown as SessionSocketCtor });
    session.onTool("get_weather", async (args) => ({ city: (args as { city: string }).city, temp: 21 }));
    session.onTool("book", () => {
      throw new Error("calendar is full");
    });
    const ready = session.connect();
    const ws = await p.connected;
    await p.say(ws, created);
    await ready;
    await p.say(ws, { type: "response.function_call", response_id: "r", call_id: "call_1", name: "get_weather", arguments: '{"city":"Oslo"}' });
    await p.say(ws, { type: "response.function_call", response_id: "r", call_id: "call_2", name: "book", arguments: "{}" });
    await p.say(ws, { type: "response.function_call", response_id: "r", call_id: "call_3", name: "unknown_tool", arguments: "{}" });
    await until(() => p.got.json.filter((e) => e.type === "conversation.item.create").length === 3);
    const outputs = p.got.json.filter((e) => e.type === "conversation.item.create").map((e) => e.item);
    expect(outputs).toEqual([
      { type: "function_call_output", call_id: "call_1", output: '{"city":"Oslo","temp":21}' },
      { type: "function_call_output", call_id: "call_2", output: '{"error":"calendar is full"}' },
      { type: "function_call_output", call_id: "call_3", output: '{"error":"no handler for tool \\"unknown_tool\\" in this client"}' },
    ]);
    session.sendText("thanks");
    await until(() => p.got.json.at(-1)?.type === "conversation.item.create" && (p.got.json.at(-1)!.item as { type: string }).type === "message");
    expect(p.got.json.at(-1)).toMatchObject({ item: { type: "message", role: "user", content: [{ type: "input_text", text: "thanks" }] } });
    session.close();
  });

  it("plays the avatar's records and drops what it buffered the moment the answer is interrupted", async () => {
    const p = await peer();
    const ctx = new FakeAudioContext();
    const player = new AvatarPlayer({ sink, audioContext: ctx, scheduler: frames, playoutDelayMs: 100 });
    const session = new RealtimeSession({ url: p.url, clientSecret: "s", player, WebSocket: WebSocket as unknown as SessionSocketCtor });
    const interrupted: number[] = [];
    session.on("interrupted", (i) => interrupted.push(i.playedMs));
    const ready = session.connect();
    const ws = await p.connected;
    await p.say(ws, created);
    await ready;
    const w = new MuxWriter({ sampleRate: 16_000, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "ava_1", manifestId: null, manifestVersion: 1 });
    await p.say(ws, w.start());
    await p.say(ws, { type: "response.created", response: { id: "resp_1" } });
    for (let i = 0; i < 5; i++) await p.say(ws, w.audio(new Int16Array(3_200)));
    expect(ctx.scheduled).toBe(5);
    expect(player.stats.bufferedMs).toBe(0); // no frame ticked yet; the figures come from the frame loop
    await p.say(ws, { type: "response.interrupted", response_id: "resp_1", played_ms: 0, reason: "barge_in" });
    expect(interrupted).toEqual([0]);
    expect(ctx.stopped).toBe(5); // every scheduled buffer silenced at once
    // The next answer plays from its own clock.
    await p.say(ws, { type: "response.created", response: { id: "resp_2" } });
    await p.say(ws, w.audio(new Int16Array(1_600)));
    await until(() => ctx.scheduled === 6);
    expect(ctx.scheduled).toBe(6);
    session.close();
  });
});
