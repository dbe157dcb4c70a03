import { afterAll, describe, expect, it } from "vitest";
import { wordErrors } from "@/core/text/word-error-rate";
import { getEnv } from "@/server/env";
import { resetProcessState } from "@/server/process-state";
import { getSttProvider } from "./index";
import { createSpeechInput, type SpeechInputEvent } from "./speech-input";
import { BENCH_QUESTIONS } from "./testing/bench-questions";
import { joinPcm, silence, spoken } from "./testing/speech-audio";

// The whole voice input as a session uses it: espeak-ng speech → Silero turn detection →
// pocketsphinx, with the process-wide recogniser the configuration selects.

afterAll(() => resetProcessState());

const stt = getSttProvider(getEnv());

async function run(turnDetection: Parameters<typeof createSpeechInput>[0]["turnDetection"], pcm: Int16Array, sampleRate = 16_000, commit = false) {
  const events: SpeechInputEvent[] = [];
  let done: () => void = () => undefined;
  const completed = new Promise<void>((r) => (done = r));
  const input = await createSpeechInput({
    stt,
    language: "en-US",
    sampleRate,
    turnDetection,
    onEvent: (e) => {
      events.push(e);
      if (e.type === "transcript_completed" || e.type === "transcript_failed") done();
    },
  });
  const step = Math.round(sampleRate / 50);
  for (let i = 0; i < pcm.length; i += step) await input.push(pcm.subarray(i, i + step));
  if (commit) input.commit();
  await completed;
  input.close();
  return events;
}

describe("speech input", () => {
  it("turns a spoken question into started → stopped → transcript, the transcript right after the stop", async () => {
    const q = BENCH_QUESTIONS[18]!;
    const events = await run({ silenceDurationMs: 400 }, joinPcm(silence(500), await spoken(q), silence(800)));
    const types = events.filter((e) => e.type !== "transcript_partial").map((e) => e.type);
    expect(types).toEqual(["speech_started", "speech_stopped", "transcript_completed"]);
    const final = events.find((e) => e.type === "transcript_completed") as Extract<SpeechInputEvent, { type: "transcript_completed" }>;
    const { errors, words } = wordErrors(q, final.text);
    expect(errors).toBeLessThan(words);
    // The recogniser heard the prefix padding, the speech and the silence up to the stop.
    const started = events[0] as Extract<SpeechInputEvent, { type: "speech_started" }>;
    const stopped = events.find((e) => e.type === "speech_stopped") as Extract<SpeechInputEvent, { type: "speech_stopped" }>;
    expect(Math.abs(final.audioMs - (stopped.stoppedAtMs - started.audioStartMs + 300))).toBeLessThanOrEqual(2);
  });

  it("push-to-talk (no turn detection): the client's commit ends the utterance, at its own rate", async () => {
    const pcm = joinPcm(await spoken(BENCH_QUESTIONS[9]!, 24_000), silence(200, 24_000));
    const events = await run(null, pcm, 24_000, true);
    expect(events.some((e) => e.type === "speech_started")).toBe(false);
    const final = events.find((e) => e.type === "transcript_completed") as Extract<SpeechInputEvent, { type: "transcript_completed" }>;
    expect(Math.abs(final.audioMs - Math.round(pcm.length / 24))).toBeLessThanOrEqual(2);
    expect(final.text.length).toBeGreaterThan(0);
  });

  it("refuses a language the recogniser cannot do before any audio", async () => {
    await expect(createSpeechInput({ stt, language: "en", sampleRate: 16_000, turnDetection: {}, onEvent: () => undefined })).resolves.toBeDefined();
    for (const turnDetection of [null, {}]) {
      await expect(createSpeechInput({ stt, language: "de", sampleRate: 16_000, turnDetection, onEvent: () => undefined })).rejects.toMatchObject({ code: "unsupported_language", status: 422 });
    }
  });
});
