import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { floatToPcm16, pcm16ToFloat } from "@/core/audio/pcm16";
import { resample } from "@/core/audio/resampler";
import { wordErrorRate, wordErrors } from "@/core/text/word-error-rate";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { requireSttLanguage, pocketsphinxConfig } from "./index";
import { createPocketsphinxProvider } from "./pocketsphinx";
import { startPocketsphinxEngine, type PocketsphinxEngine } from "./pocketsphinx-engine";
import { BENCH_QUESTIONS } from "./testing/bench-questions";
import { joinPcm, silence, spoken } from "./testing/speech-audio";
import type { SttProvider, SttResult } from "./types";

// The real recogniser: Debian's pocketsphinx + pocketsphinx-en-us + python3-pocketsphinx (`npm run
// setup -- --test` installs them) behind the long-lived driver, one engine for the whole file.

const config = { ...pocketsphinxConfig(getEnv()), processes: 1 };
let engine: PocketsphinxEngine;
let stt: SttProvider;
const audio = new Map<string, Int16Array>();

beforeAll(async () => {
  engine = startPocketsphinxEngine(config);
  stt = createPocketsphinxProvider(() => engine);
  for (const q of BENCH_QUESTIONS) audio.set(q, joinPcm(await spoken(q), silence(400)));
});
afterAll(() => engine.close());

/** Feeds `pcm` in 20 ms pieces, as a live client sends it, then finishes. */
async function transcribe(pcm: Int16Array, rate = 16_000, partials?: string[]): Promise<SttResult> {
  const session = stt.open({ language: "en-US", sampleRate: rate, onPartial: (t) => partials?.push(t) });
  const step = Math.round(rate / 50);
  for (let i = 0; i < pcm.length; i += step) session.push(pcm.subarray(i, i + step));
  return session.finish();
}

/** Some of the question's words came through (pocketsphinx's output on espeak-ng varies with what the decoder heard before). */
function heardSome(reference: string, hypothesis: string): boolean {
  const { errors, words } = wordErrors(reference, hypothesis);
  return hypothesis.length > 0 && errors < words;
}

describe("pocketsphinx recogniser", () => {
  it("transcribes the bench's espeak-ng questions in one long-lived process", async () => {
    const pidsBefore = engine.pids();
    expect(pidsBefore).toHaveLength(1);
    const pairs: { reference: string; hypothesis: string }[] = [];
    for (const q of BENCH_QUESTIONS) pairs.push({ reference: q, hypothesis: (await transcribe(audio.get(q)!)).text });
    const wer = wordErrorRate(pairs);
    // pocketsphinx's general English model on espeak-ng's synthetic voice: measured 0.60 here
    // (npm run bench:speech prints it). A broken pipeline (wrong rate, byte order, no audio) is near 1.
    expect(wer).toBeLessThan(0.8);
    expect(pairs.filter((p) => heardSome(p.reference, p.hypothesis)).length).toBeGreaterThanOrEqual(BENCH_QUESTIONS.length / 2);
    expect(engine.pids()).toEqual(pidsBefore);
    expect(engine.restarts).toBe(0);
  });

  it("decodes while audio arrives: partial hypotheses come before the end", async () => {
    const pcm = joinPcm(await spoken("Is there a discount for students? I would like to know more about the price."), silence(300));
    const partials: string[] = [];
    const session = stt.open({ language: "en", sampleRate: 16_000, onPartial: (t) => partials.push(t) });
    const half = pcm.length >> 1;
    for (let i = 0; i < half; i += 320) session.push(pcm.subarray(i, i + 320));
    // A live client's audio takes seconds to arrive; the hypothesis grows meanwhile.
    for (let waited = 0; partials.length === 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(partials.length).toBeGreaterThan(0);
    for (let i = half; i < pcm.length; i += 320) session.push(pcm.subarray(i, i + 320));
    const result = await session.finish();
    expect(result.text.split(" ").length).toBeGreaterThan(partials[0]!.split(" ").length);
    expect(result.audioMs).toBeGreaterThanOrEqual(Math.floor(pcm.length / 16) - 1);
  });

  it("takes 8 kHz and 48 kHz input (converted to 16 kHz as it arrives)", async () => {
    const q = audio.get(BENCH_QUESTIONS[9]!)!;
    for (const rate of [8_000, 48_000]) {
      const pcm = floatToPcm16(resample(pcm16ToFloat(q), 16_000, rate));
      const result = await transcribe(pcm, rate);
      // The recogniser heard the whole utterance at its own rate (its clock is 16 kHz samples).
      expect(Math.abs(result.audioMs - (q.length * 1000) / 16_000)).toBeLessThanOrEqual(2);
      expect(result.text.length).toBeGreaterThan(0);
    }
  });

  it("keeps concurrent utterances apart", async () => {
    const pa = audio.get(BENCH_QUESTIONS[9]!)!;
    const pb = joinPcm(audio.get(BENCH_QUESTIONS[18]!)!, silence(700));
    const [sa, sb] = [stt.open({ language: "en", sampleRate: 16_000 }), stt.open({ language: "en", sampleRate: 16_000 })];
    for (let i = 0; i < Math.max(pa.length, pb.length); i += 320) {
      sa.push(pa.subarray(i, i + 320));
      sb.push(pb.subarray(i, i + 320));
    }
    const [ra, rb] = await Promise.all([sa.finish(), sb.finish()]);
    // Each result is of its own audio, not of the other's or of both.
    expect(Math.abs(ra.audioMs - pa.length / 16)).toBeLessThanOrEqual(1);
    expect(Math.abs(rb.audioMs - pb.length / 16)).toBeLessThanOrEqual(1);
    expect(heardSome(BENCH_QUESTIONS[9]!, ra.text) || heardSome(BENCH_QUESTIONS[18]!, rb.text)).toBe(true);
  });

  it("survives bad input: loud noise, nothing, an aborted utterance, odd chunks", async () => {
    const pid = engine.pids();
    const odd = stt.open({ language: "en", sampleRate: 16_000 });
    const q = audio.get(BENCH_QUESTIONS[9]!)!;
    for (let i = 0, n = 1; i < q.length; i += n, n = (n * 7 + 3) % 997 || 1) odd.push(q.subarray(i, i + n));
    const oddResult = await odd.finish();
    expect(Math.abs(oddResult.audioMs - q.length / 16)).toBeLessThanOrEqual(1);
    expect((await stt.open({ language: "en", sampleRate: 16_000 }).finish()).text).toBe("");
    const aborted = stt.open({ language: "en", sampleRate: 16_000 });
    aborted.push(audio.get(BENCH_QUESTIONS[0]!)!);
    aborted.abort();
    let x = 1;
    const noise = Int16Array.from({ length: 48_000 }, () => ((x = (x * 48271) % 2147483647) % 65536) - 32768);
    expect(typeof (await transcribe(noise)).text).toBe("string");
    // Still the same process, still answering.
    expect((await transcribe(q)).audioMs).toBeGreaterThan(0);
    expect(engine.pids()).toEqual(pid);
    expect(engine.restarts).toBe(0);
  });

  it("a crashed recogniser fails its open utterance with stt_failed and is restarted for the next", async () => {
    const [pid] = engine.pids();
    const open = stt.open({ language: "en", sampleRate: 16_000 });
    open.push(audio.get(BENCH_QUESTIONS[2]!)!);
    process.kill(pid!, "SIGKILL");
    const error = await open.finish().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "stt_failed", retryable: true, kind: "unavailable" });
    expect(engine.restarts).toBe(1);
    expect(engine.pids()).toHaveLength(1);
    expect(engine.pids()[0]).not.toBe(pid);
    // The new process (fresh decoder) answers.
    expect(heardSome(BENCH_QUESTIONS[9]!, (await transcribe(audio.get(BENCH_QUESTIONS[9]!)!)).text)).toBe(true);
  });

  it("refuses a language the model cannot do with unsupported_language, at session start", () => {
    expect(stt.supports("en-GB")).toBe(true);
    expect(stt.supports("de")).toBe(false);
    expect(() => requireSttLanguage(stt, "de-DE")).toThrow(expect.objectContaining({ code: "unsupported_language", kind: "invalid_input", status: 422 }));
    expect(() => stt.open({ language: "fr", sampleRate: 16_000 })).toThrow(expect.objectContaining({ code: "unsupported_language" }));
  });

  it("without python3-pocketsphinx every utterance fails with unavailable naming the setup step", async () => {
    const broken = startPocketsphinxEngine({ ...config, python: "/nonexistent/python3" });
    const session = createPocketsphinxProvider(() => broken).open({ language: "en", sampleRate: 16_000 });
    session.push(silence(100));
    const error = await session.finish().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unavailable", retryable: false });
    expect((error as Error).message).toContain("npm run setup");
    await broken.close();
  });
});
