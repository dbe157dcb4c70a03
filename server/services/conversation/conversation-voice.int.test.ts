// The conversation loop hearing speech: espeak-ng questions pushed as PCM in 20 ms chunks at real
// time go through the real turn detector (Silero VAD) and the embedded recogniser (pocketsphinx) to
// the FAQ responder and back as avatar audio; speech while the avatar speaks cuts it (barge-in), and
// a cough does not.
import { describe, expect, it, vi } from "vitest";
import { faqReply } from "../llm/faq-responder";
import type { Conversation } from "./types";
import { coughBurst, joinPcm, silence, spoken } from "../speech/testing/speech-audio";
import { audioSamples, openTestConversation, transcript, useConversationWorld, userText, type OpenOptions } from "./testing/conversation-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

// Questions the embedded recogniser hears well enough in espeak-ng's voice (it is weak on synthetic
// speech: the bench reports its word error rate); the FAQ responder matches the rest.
const HOURS_Q = "What are your opening hours on Saturday?";
const HOURS = "On Saturday we are open from nine in the morning to six in the evening.";

const TOUR =
  "The tour starts in the observation deck, where you can see the whole planet turning below. Then we visit the greenhouse, where the crew grows tomatoes and lettuce. After that you can try on a real space suit in the airlock. The tour ends in the galley with a cup of freeze dried ice cream.";


const KNOWLEDGE = [
  { question: HOURS_Q, answer: HOURS },
  { question: "What happens on the tour?", answer: TOUR },
];
const answerTo = (transcript: string) => faqReply({ messages: [{ role: "user", content: transcript }], knowledge: KNOWLEDGE }).text;
const world = useConversationWorld("conversation-voice", { knowledge: KNOWLEDGE });

const RATE = 16_000;
const CHUNK = RATE / 50; // 20 ms
const voice: OpenOptions = { input: "voice", turnDetection: { type: "server_vad", threshold: 0.5, silence_duration_ms: 500, prefix_padding_ms: 300 }, inputSampleRate: RATE };

/** Pushes `pcm` in 20 ms chunks on a real-time schedule, as a microphone would. */
async function talk(conversation: Conversation, pcm: Int16Array): Promise<void> {
  const t0 = performance.now();
  for (let at = 0, i = 0; at < pcm.length; at += CHUNK, i++) {
    conversation.appendAudio(pcm.slice(at, at + CHUNK));
    const due = t0 + (i + 1) * 20 - performance.now();
    if (due > 0) await new Promise((r) => setTimeout(r, due));
  }
}

describe("the conversation loop hearing speech (Silero VAD, pocketsphinx, FAQ, espeak-ng)", () => {
  it("a spoken question: speech started/stopped, the transcript, and the spoken answer", async () => {
    const { conversation, sink, config } = await openTestConversation(world, voice);
    await talk(conversation, joinPcm(silence(300), await spoken(HOURS_Q, RATE), silence(900)));
    const started = await sink.next("input_audio_buffer.speech_started");
    const stopped = await sink.next("input_audio_buffer.speech_stopped");
    expect(stopped.item_id).toBe(started.item_id);
    expect(started.audio_start_ms).toBeGreaterThan(0);
    expect(stopped.audio_end_ms).toBeGreaterThan(started.audio_start_ms + 500);
    const heard = await sink.next("conversation.item.input_audio_transcription.completed");
    expect(heard.transcript).toMatch(/opening/i);
    const done = await sink.next("response.done");
    expect(done.response.status).toBe("completed");
    // The answer to what was heard (pocketsphinx is weak on espeak-ng's voice; the bench reports its WER).
    const answer = answerTo(heard.transcript);
    expect(sink.events("response.text.delta").map((d) => d.delta).join("").trim()).toBe(answer);
    expect(audioSamples(sink)).toBeGreaterThan(0);
    expect(sink.events("status").map((s) => s.status)).toEqual(["listening", "thinking", "speaking", "listening"]);
    await conversation.close("client_closed");
    const rows = await transcript(world.db, world.caller.tenantId, config.threadId);
    expect(rows.map((r) => [r.role, r.text])).toEqual([
      ["user", heard.transcript],
      ["assistant", answer],
    ]);
  });

  it("speech while the avatar speaks interrupts it (barge-in); a cough does not", async () => {
    const { conversation, sink, config } = await openTestConversation(world, voice);
    await conversation.handle(userText("What happens on the tour?"));
    await sink.next("status", 3); // speaking
    // A cough (shorter than the detector's minimum speech) and a little silence: no barge-in.
    await talk(conversation, joinPcm(silence(200), coughBurst(80, RATE), silence(600)));
    expect(sink.events("response.interrupted")).toEqual([]);
    expect(sink.events("input_audio_buffer.speech_started")).toEqual([]);

    const question = joinPcm(await spoken(HOURS_Q, RATE), silence(900));
    const talking = talk(conversation, question);
    const interrupted = await sink.next("response.interrupted", 1, 10_000);
    expect(interrupted.reason).toBe("barge_in");
    const cutAt = sink.indexOf((l) => l.kind === "event" && l.event.type === "response.interrupted");
    const first = await sink.next("response.done");
    expect(first.response.status).toBe("interrupted");
    await talking;
    const second = await sink.next("response.done", 2);
    expect(second.response.status).toBe("completed");
    const heard = await sink.next("conversation.item.input_audio_transcription.completed");
    expect(heard.transcript).toMatch(/opening/i);
    // Between the cut and the second reply's start, not one audio sample.
    const secondAt = sink.indexOf((l) => l.kind === "event" && l.event.type === "response.created" && sink.events("response.created").indexOf(l.event) === 1);
    expect(audioSamples(sink, cutAt, secondAt)).toBe(0);
    expect(sink.events("response.text.delta").filter((d) => d.response_id === second.response.id).map((d) => d.delta).join("").trim()).toBe(answerTo(heard.transcript));
    await conversation.close("client_closed");
    const rows = await transcript(world.db, world.caller.tenantId, config.threadId);
    expect(rows.map((r) => [r.role, r.interrupted])).toEqual([
      ["user", false],
      ["assistant", true],
      ["user", false],
      ["assistant", false],
    ]);
    expect(TOUR.startsWith(rows[1]!.text)).toBe(true);
    expect(rows[1]!.text.length).toBeLessThan(TOUR.length / 2);
  });

  it("push-to-talk (turn_detection none): audio waits for the commit, then it is the user's turn", async () => {
    const { conversation, sink } = await openTestConversation(world, { ...voice, turnDetection: { type: "none" }, inputSampleRate: 24_000 });
    const pcm = await spoken(HOURS_Q, 24_000);
    for (let at = 0; at < pcm.length; at += 480) conversation.appendAudio(pcm.slice(at, at + 480)); // faster than real time: nothing is detected
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.events("input_audio_buffer.committed")).toEqual([]);
    expect(sink.events("response.created")).toEqual([]);
    await conversation.handle({ type: "input_audio_buffer.commit" });
    const heard = await sink.next("conversation.item.input_audio_transcription.completed");
    expect(heard.transcript).toMatch(/opening/i);
    const done = await sink.next("response.done");
    expect(done.response.status).toBe("completed");
    expect(sink.events("response.text.delta").map((d) => d.delta).join("").trim()).toBe(answerTo(heard.transcript));
    // Nothing buffered: a commit is refused, and the session goes on.
    await conversation.handle({ type: "input_audio_buffer.commit" });
    expect(sink.events("error")).toMatchObject([{ error: { code: "input_audio_buffer_commit_empty" } }]);
    await conversation.close("client_closed");
  });
});
