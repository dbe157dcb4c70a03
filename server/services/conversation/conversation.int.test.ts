// The conversation loop with the embedded stack (FAQ responder for a test key, espeak-ng TTS, the
// viseme model): typed questions answered with avatar audio + motion on one session stream, billed
// to the audio sent, barge-in by response.cancel, and the refusal without credits.
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { samplesToMicros } from "@/core/mux";
import { wallets } from "@/server/db/schema";
import { reserveCredits, voidReservation } from "../credits/ledger";
import { audioSamples, openTestConversation, sessionHolds, transcript, userText } from "./testing/conversation-fixture";
import { useTurnWorld } from "../realtime/testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const OPENING = "The station opens at nine in the morning and closes at six in the evening.";
const TOUR =
  "The tour starts in the observation deck, where you can see the whole planet turning below. Then we visit the greenhouse, where the crew grows tomatoes and lettuce. After that you can try on a real space suit in the airlock. The tour ends in the galley with a cup of freeze dried ice cream.";

const world = useTurnWorld("conversation", 600_000_000, {
  persona: "You are Ada, the station guide.",
  knowledge: [
    { question: "When does the station open?", answer: OPENING },
    { question: "What happens on the tour?", answer: TOUR },
  ],
});

describe("the conversation loop (FAQ responder, espeak-ng)", () => {
  it("answers a typed question with text deltas, avatar audio + motion on one stream, billed to the audio sent", async () => {
    const { conversation, sink, config } = await openTestConversation(world);
    await conversation.handle(userText("When does the station open?"));
    const done = await sink.next("response.done");
    expect(done.response.status).toBe("completed");

    const deltas = sink.events("response.text.delta").map((d) => d.delta).join("");
    expect(deltas.trim()).toBe(OPENING);
    expect(sink.events("status").map((s) => s.status)).toEqual(["idle", "thinking", "speaking", "idle"]);

    const header = sink.records("header");
    expect(header).toHaveLength(1);
    const samples = audioSamples(sink);
    const rate = header[0]!.sampleRate;
    expect(samples / rate).toBeGreaterThan(2); // the sentence is several seconds of speech
    expect(sink.records("motion").length).toBeGreaterThan(Math.floor((samples / rate) * 25) - 2);
    expect(sink.records("text_delta").map((t) => t.text).join("").trim()).toBe(OPENING);
    expect(done.response.usage.credit_micros).toBe(samplesToMicros(samples, rate));
    expect(done.response.usage.speech_ms).toBe(Math.floor((samples * 1000) / rate));

    await conversation.close("client_closed");
    expect(sink.records("end")).toHaveLength(1);
    const rows = await transcript(world.db, world.caller.tenantId, config.threadId);
    expect(rows.map((r) => [r.role, r.text, r.interrupted])).toEqual([
      ["user", "When does the station open?", false],
      ["assistant", OPENING, false],
    ]);
    expect(rows[1]!.startMs).toBeGreaterThanOrEqual(rows[0]!.endMs!);
    const hold = (await sessionHolds(world.db, world.caller.tenantId)).at(-1)!;
    expect(hold).toMatchObject({ status: "settled", settledMicros: samplesToMicros(samples, rate) });
    expect(sink.usages.at(-1)).toEqual({ speechMs: done.response.usage.speech_ms, creditMicros: done.response.usage.credit_micros });
  });

  it("render server: JPEG video frames follow the audio and motion, numbered on across two replies", async () => {
    const { conversation, sink } = await openTestConversation(world, { render: "server" });
    await conversation.handle(userText("When does the station open?"));
    await sink.next("response.done");
    await conversation.handle(userText("When does the station open?"));
    await sink.next("response.done", 2);
    await conversation.close("client_closed");
    const [header] = sink.records("header");
    expect(header).toMatchObject({ videoCodec: "jpeg", width: 256, height: 256 });
    const motion = sink.records("motion").map((m) => m.frame);
    const video = sink.records("video").map((v) => v.frame);
    expect(video).toEqual(motion);
    expect(motion.every((f, i) => i === 0 || f === motion[i - 1]! + 1)).toBe(true);
    expect(sink.records("video")[0]!.data.subarray(0, 2)).toEqual(Uint8Array.of(0xff, 0xd8));
  });

  it("paces audio at real time plus the lead, so what a barge-in drops stays small", async () => {
    const { conversation, sink } = await openTestConversation(world);
    await conversation.handle(userText("What happens on the tour?"));
    await sink.next("status", 3); // speaking
    const t0 = performance.now();
    const at0 = audioSamples(sink);
    await new Promise((r) => setTimeout(r, 2_000));
    const rate = sink.records("header")[0]!.sampleRate;
    const aheadMs = ((audioSamples(sink) - at0) / rate) * 1000 - (performance.now() - t0);
    // Two seconds in, no more than the first batch + lead + one batch ahead of real time.
    expect(aheadMs).toBeLessThan(1_000);
    await conversation.handle({ type: "response.cancel" });
    await conversation.close("client_closed");
  });

  it("a socket that stops draining stops the audio (backpressure); it resumes when the socket drains", async () => {
    const { conversation, sink } = await openTestConversation(world);
    await conversation.handle(userText("When does the station open?"));
    await sink.next("status", 3); // speaking
    sink.backlog = 1 << 20;
    await new Promise((r) => setTimeout(r, 100)); // a batch already on its way may still leave
    const held = audioSamples(sink);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(audioSamples(sink)).toBe(held);
    sink.backlog = 0;
    const done = await sink.next("response.done");
    expect(done.response.status).toBe("completed");
    expect(audioSamples(sink)).toBeGreaterThan(held);
    await conversation.close("client_closed");
  });

  it("response.cancel mid-speech: interrupted where the client played, no audio after, history and charge cut", async () => {
    const { conversation, sink, config } = await openTestConversation(world);
    await conversation.handle(userText("What happens on the tour?"));
    await sink.next("status", 3); // speaking
    await new Promise((r) => setTimeout(r, 2_500));
    await conversation.handle({ type: "buffer_status", buffered_ms: 400, playback_position: 1_800 });
    await conversation.handle({ type: "response.cancel" });
    const interrupted = await sink.next("response.interrupted");
    const done = await sink.next("response.done");
    expect(done.response.status).toBe("cancelled");
    expect(interrupted.reason).toBe("cancelled");
    expect(interrupted.played_ms).toBeGreaterThanOrEqual(1_800);
    expect(interrupted.played_ms).toBeLessThan(2_200);

    const cutAt = sink.indexOf((l) => l.kind === "event" && l.event.type === "response.interrupted");
    expect(sink.records("audio", cutAt)).toEqual([]);
    const samples = audioSamples(sink);
    const rate = sink.records("header")[0]!.sampleRate;
    expect(samples / rate).toBeLessThan(4.5); // the tour answer is ~20 s: most was never sent
    expect(done.response.usage.credit_micros).toBe(samplesToMicros(samples, rate));

    // The session goes on: the next question is answered on the same stream (one header, one clock,
    // frame numbers continuing — the reader checks every pts and frame order).
    const before = sink.log.length;
    await conversation.handle(userText("When does the station open?"));
    expect((await sink.next("response.done", 2)).response.status).toBe("completed");
    expect(sink.records("header")).toHaveLength(1);
    expect(sink.records("text_delta", before).map((t) => t.text).join("").trim()).toBe(OPENING);
    const frames = sink.records("motion").map((m) => m.frame);
    expect(frames.every((f, i) => i === 0 || f === frames[i - 1]! + 1)).toBe(true);
    expect(sink.reader.audioSamples).toBe(audioSamples(sink));

    await conversation.close("client_closed");
    const rows = await transcript(world.db, world.caller.tenantId, config.threadId);
    expect(rows.map((r) => r.role)).toEqual(["user", "assistant", "user", "assistant"]);
    const assistant = rows.find((r) => r.role === "assistant")!;
    expect(assistant.interrupted).toBe(true);
    expect(assistant.text.length).toBeGreaterThan(0);
    expect(TOUR.startsWith(assistant.text)).toBe(true);
    // ~1.9 s of a ~20 s answer was played: far less than its first two sentences.
    expect(assistant.text.length).toBeLessThan(TOUR.indexOf("After that"));
    const holds = await sessionHolds(world.db, world.caller.tenantId);
    expect(holds.at(-2)).toMatchObject({ status: "settled", settledMicros: samplesToMicros(samples, rate) });
  });

  it("a cut while the pipeline holds an encoded chunk: the next reply continues the client's clock, no audio gap", async () => {
    const { conversation, sink } = await openTestConversation(world);
    // Cancel right as the second audio batch is handed over: the rest of the first sentence's TTS
    // chunk is already there and, inside the playout lead, its next batch is due at once, so the
    // pipeline encodes it (advancing the stream's clock) before the loop sees the cut and drops it.
    // The sink's reader is strict: a gap in the audio pts makes it throw.
    sink.afterBinary = () => {
      if (sink.records("audio").length < 2) return;
      sink.afterBinary = null;
      void conversation.handle({ type: "response.cancel" });
    };
    await conversation.handle(userText("What happens on the tour?"));
    expect((await sink.next("response.done")).response.status).toBe("cancelled");
    await conversation.handle(userText("When does the station open?"));
    const second = await sink.next("response.done", 2);
    expect(sink.events("error")).toEqual([]);
    expect(second.response.status).toBe("completed");
    expect(sink.records("header")).toHaveLength(1);
    expect(sink.reader.audioSamples).toBe(audioSamples(sink));
    await conversation.close("client_closed");
  });

  it("microphone and settings: stop/start_listening switch idle/listening, clear is confirmed, session.update answers the settings in force", async () => {
    const { conversation, sink } = await openTestConversation(world, { input: "voice", turnDetection: { type: "server_vad", threshold: 0.5, silence_duration_ms: 500, prefix_padding_ms: 300 } });
    await conversation.handle({ type: "stop_listening" });
    await conversation.handle({ type: "start_listening" });
    await conversation.handle({ type: "input_audio_buffer.clear" });
    await conversation.handle({ type: "session.update", session: { instructions: "Speak like a pirate.", turn_detection: { type: "none" } } });
    await conversation.handle({ type: "input_audio_buffer.commit" });
    expect(sink.events("status").map((s) => s.status)).toEqual(["listening", "idle", "listening"]);
    expect(sink.events("input_audio_buffer.cleared")).toHaveLength(1);
    expect(sink.events("session.updated")).toMatchObject([{ session: { instructions: "Speak like a pirate.", turn_detection: { type: "none" }, input_sample_rate: 16_000 } }]);
    // Push-to-talk now, and nothing was said: the commit is refused with a code.
    expect(sink.events("error")).toMatchObject([{ error: { code: "input_audio_buffer_commit_empty" } }]);
    await conversation.close("client_closed");
  });

  it("without credits: insufficient_credits with billingUrl, the reply comes as text, and the session goes on", async () => {
    const { db, caller } = world;
    // Everything available is held by other work: nothing is left for a spoken reply.
    const [wallet] = await db.select().from(wallets).where(and(eq(wallets.tenantId, caller.tenantId), eq(wallets.environment, "test")));
    const other = await reserveCredits(db, { tenantId: caller.tenantId, environment: "test", amountMicros: wallet!.availableMicros, purpose: "lipsync" });
    try {
      const { conversation, sink } = await openTestConversation(world);
      await conversation.handle(userText("When does the station open?"));
      const done = await sink.next("response.done");
      expect(sink.events("error")).toMatchObject([{ error: { code: "insufficient_credits", retryable: false, billingUrl: "/platform/billing" } }]);
      expect(done.response).toMatchObject({ status: "completed", usage: { speech_ms: 0, credit_micros: 0 } });
      expect(sink.events("response.text.delta").map((d) => d.delta).join("").trim()).toBe(OPENING);
      expect(sink.records("audio")).toEqual([]);
      // Still usable: the next question is answered the same way.
      await conversation.handle(userText("What happens on the tour?"));
      expect((await sink.next("response.done", 2)).response.status).toBe("completed");
      await conversation.close("client_closed");

      const text = await openTestConversation(world, { outputModality: "text" });
      await text.conversation.handle(userText("When does the station open?"));
      const textDone = await text.sink.next("response.done");
      expect(text.sink.events("error")).toEqual([]);
      expect(textDone.response.usage).toEqual({ speech_ms: 0, credit_micros: 0 });
      expect(text.sink.events("response.text.delta").map((d) => d.delta).join("").trim()).toBe(OPENING);
      await text.conversation.close("client_closed");
    } finally {
      await voidReservation(db, { tenantId: caller.tenantId, reservationId: other.id });
    }
  });
});
