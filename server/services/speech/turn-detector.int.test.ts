import { beforeAll, describe, expect, it } from "vitest";
import { floatToPcm16, pcm16ToFloat } from "@/core/audio/pcm16";
import { resample } from "@/core/audio/resampler";
import { AppError } from "@/server/errors";
import { BENCH_QUESTIONS } from "./testing/bench-questions";
import { coughBurst, joinPcm, silence, soundBounds, spoken } from "./testing/speech-audio";
import { createTurnDetector, type TurnDetectorSettings, type TurnEvent } from "./turn-detector";

// The real Silero v5 model on real espeak-ng speech. Tolerances: the model scores 32 ms frames, so a
// boundary is known to a frame; the model needs a frame or two of sound to pass the threshold at an
// onset and lets speech ring on for a frame or two after it ends (espeak's final consonants are soft).
const FRAME_MS = 32;
const SETTINGS: Partial<TurnDetectorSettings> = { threshold: 0.5, silenceDurationMs: 400, prefixPaddingMs: 300, minSpeechMs: 120 };

type Seen = Exclude<TurnEvent, { type: "speech_audio" }>;

async function detect(pcm: Int16Array, rate = 16_000, settings = SETTINGS, chunk = 320) {
  const events: TurnEvent[] = [];
  const detector = await createTurnDetector(settings, rate, (e) => events.push(e));
  for (let i = 0; i < pcm.length; i += chunk) await detector.push(pcm.subarray(i, i + chunk));
  const seen = events.filter((e): e is Seen => e.type !== "speech_audio");
  return { events, seen, detector };
}

let question: Int16Array;
let bounds: { startMs: number; endMs: number };

beforeAll(async () => {
  question = await spoken(BENCH_QUESTIONS[0]!);
  bounds = soundBounds(question)!;
});

describe("turn detector on espeak-ng speech", () => {
  it("starts a turn at the question's onset, confirmed min_speech later, and stops it after silence_duration_ms of silence", async () => {
    const lead = 1000;
    const { seen, detector } = await detect(joinPcm(silence(lead), question, silence(1500)));
    expect(seen.map((e) => e.type)).toEqual(["speech_started", "speech_stopped"]);
    const [started, stopped] = seen as [Extract<Seen, { type: "speech_started" }>, Extract<Seen, { type: "speech_stopped" }>];
    const onset = lead + bounds.startMs;
    const end = lead + bounds.endMs;
    expect(Math.abs(started.audioStartMs - onset)).toBeLessThanOrEqual(2 * FRAME_MS);
    // Confirmation waits for min_speech_ms of speech, rounded up to whole frames: 4 frames = 128 ms.
    expect(started.confirmedAtMs - started.audioStartMs).toBe(128);
    expect(Math.abs(stopped.audioEndMs - end)).toBeLessThanOrEqual(3 * FRAME_MS);
    expect(stopped.stoppedAtMs - stopped.audioEndMs).toBeGreaterThanOrEqual(400);
    expect(stopped.stoppedAtMs - stopped.audioEndMs).toBeLessThan(400 + FRAME_MS);
    expect(stopped.reason).toBe("silence");
    expect(detector.speaking).toBe(false);
  });

  it("hands out the turn's audio: prefix padding before the onset, then every frame up to the stop", async () => {
    const { events, seen, detector } = await detect(joinPcm(silence(1000), question, silence(1500)));
    const started = seen[0] as Extract<Seen, { type: "speech_started" }>;
    const stopped = seen[1] as Extract<Seen, { type: "speech_stopped" }>;
    const handed = joinPcm(started.audio, ...events.flatMap((e) => (e.type === "speech_audio" ? [e.audio] : [])));
    const segment = detector.segment();
    expect(handed).toEqual(segment);
    // From 300 ms before the onset to the moment the stop was decided.
    expect(segment.length).toBe(((stopped.stoppedAtMs - started.audioStartMs + 300) * 16_000) / 1000);
    const inside = soundBounds(segment)!;
    expect(Math.abs(inside.startMs - 300)).toBeLessThanOrEqual(2 * FRAME_MS);
    expect(Math.abs(inside.endMs - inside.startMs - (bounds.endMs - bounds.startMs))).toBeLessThanOrEqual(20);
  });

  it("gives the same turns whatever the chunk size", async () => {
    const pcm = joinPcm(silence(700), question, silence(1200));
    const a = await detect(pcm, 16_000, SETTINGS, 160);
    const b = await detect(pcm, 16_000, SETTINGS, 4801);
    const times = (seen: Seen[]) => seen.map((e) => (e.type === "speech_started" ? [e.audioStartMs, e.confirmedAtMs] : [e.audioEndMs, e.stoppedAtMs]));
    expect(times(b.seen)).toEqual(times(a.seen));
  });

  it.each([8_000, 22_050, 44_100, 48_000])("finds the same turn in %i Hz input", async (rate) => {
    const pcm = joinPcm(silence(1000), question, silence(1500));
    const converted = floatToPcm16(resample(pcm16ToFloat(pcm), 16_000, rate));
    const { seen } = await detect(converted, rate, SETTINGS, Math.round(rate / 50));
    expect(seen.map((e) => e.type)).toEqual(["speech_started", "speech_stopped"]);
    const started = seen[0] as Extract<Seen, { type: "speech_started" }>;
    expect(Math.abs(started.audioStartMs - (1000 + bounds.startMs))).toBeLessThanOrEqual(2 * FRAME_MS);
  });

  it("does not start a turn for a cough-like noise burst or a syllable shorter than min_speech_ms", async () => {
    const hey = await spoken("Hey");
    const from = soundBounds(hey)!.startMs * 16;
    const syllable = hey.slice(from, from + 100 * 16);
    for (const burst of [coughBurst(150), coughBurst(400), syllable]) {
      const { seen } = await detect(joinPcm(silence(800), burst, silence(1200)));
      expect(seen).toEqual([]);
    }
    // The whole word is speech.
    const { seen } = await detect(joinPcm(silence(800), await spoken("Hey there"), silence(1200)));
    expect(seen.map((e) => e.type)).toEqual(["speech_started", "speech_stopped"]);
  });

  it("keeps one turn across a pause shorter than silence_duration_ms and makes two across a longer one", async () => {
    // espeak-ng ends each utterance with ~300 ms of its own silence: cut to the sound.
    const trim = (pcm: Int16Array) => {
      const b = soundBounds(pcm)!;
      return pcm.subarray(b.startMs * 16, b.endMs * 16);
    };
    const first = trim(question);
    const second = trim(await spoken(BENCH_QUESTIONS[1]!));
    const short = await detect(joinPcm(silence(500), first, silence(200), second, silence(1000)));
    expect(short.seen.map((e) => e.type)).toEqual(["speech_started", "speech_stopped"]);
    const long = await detect(joinPcm(silence(500), first, silence(700), second, silence(1000)));
    expect(long.seen.map((e) => e.type)).toEqual(["speech_started", "speech_stopped", "speech_started", "speech_stopped"]);
  });

  it("ends a turn that runs past max_speech_ms", async () => {
    const { seen } = await detect(joinPcm(silence(300), question, question, silence(800)), 16_000, { ...SETTINGS, maxSpeechMs: 2000 });
    const stop = seen.find((e) => e.type === "speech_stopped") as Extract<Seen, { type: "speech_stopped" }>;
    expect(stop.reason).toBe("max_speech");
  });

  it("clear() drops a turn in progress without a stop event and keeps the clock", async () => {
    const events: TurnEvent[] = [];
    const detector = await createTurnDetector(SETTINGS, 16_000, (e) => events.push(e));
    await detector.push(joinPcm(silence(500), question.subarray(0, 16_000)));
    expect(detector.speaking).toBe(true);
    await detector.clear();
    expect(detector.speaking).toBe(false);
    expect(detector.segment().length).toBe(0);
    await detector.push(silence(1000));
    expect(events.some((e) => e.type === "speech_stopped")).toBe(false);
    expect(detector.processedMs).toBeGreaterThanOrEqual(2500 - FRAME_MS);
  });

  it("refuses an unsupported sample rate and out-of-range settings with invalid_input", async () => {
    await expect(createTurnDetector(SETTINGS, 96_000, () => undefined)).rejects.toMatchObject({ code: "invalid_input", details: { field: "sample_rate" } });
    const error = await createTurnDetector({ threshold: 1.5 }, 16_000, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "invalid_input", details: { field: "turn_detection" } });
  });
});
