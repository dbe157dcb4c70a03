import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { processAlive } from "@/server/ops/process-alive";
import { createEspeakProvider } from "./espeak";
import { collect, medianPitchHz, voicedSamples } from "./testing/pcm-measure";
import type { TtsRequest } from "./types";

// Runs the real espeak-ng (`npm run setup` installs it). A wrapper script in front of it records
// every invocation, so the tests can see what the provider did without timing anything.

let dir: string;
let logPath: string;
let wrapper: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "espeak-test-"));
  logPath = join(dir, "calls.log");
  wrapper = join(dir, "espeak-ng-logged");
  writeFileSync(wrapper, `#!/bin/sh\necho "$$ $*" >> "${logPath}"\nexec espeak-ng "$@"\n`);
  chmodSync(wrapper, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** espeak-ng runs that synthesized speech (the voice listings are not counted). */
function speechCalls(): { pid: number; args: string }[] {
  let text: string;
  try {
    text = readFileSync(logPath, "utf8");
  } catch {
    return [];
  }
  return text
    .trim()
    .split("\n")
    .filter((l) => l.includes("--stdout"))
    .map((l) => ({ pid: Number(l.split(" ")[0]), args: l.slice(l.indexOf(" ") + 1) }));
}

const espeak = createEspeakProvider();
const speak = (request: TtsRequest) => collect(espeak.synthesize(request));

async function rejection(request: TtsRequest): Promise<AppError> {
  try {
    await speak(request);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

const THREE_SENTENCES = "The first sentence is short. Here comes a second one, somewhat longer than the first. And a third!";

describe("espeak provider: streaming", () => {
  it("yields the first sentence's audio before the later sentences are synthesized", async () => {
    writeFileSync(logPath, "");
    const logged = createEspeakProvider({ binary: wrapper });
    const seen: { text?: string; callsSoFar: number }[] = [];
    let sampleRate = 0;
    for await (const chunk of logged.synthesize({ text: THREE_SENTENCES })) {
      seen.push({ text: chunk.text, callsSoFar: speechCalls().length });
      sampleRate = chunk.sampleRate;
    }
    expect(sampleRate).toBe(22050);
    // When the first chunk arrived, only the first sentence's espeak-ng had been started.
    expect(seen[0]).toEqual({ text: "The first sentence is short.", callsSoFar: 1 });
    expect(seen.filter((c) => c.text).map((c) => c.text)).toEqual([
      "The first sentence is short.",
      "Here comes a second one, somewhat longer than the first.",
      "And a third!",
    ]);
    expect(speechCalls()).toHaveLength(3);
    // stdout is read as it is written: more than one chunk per sentence.
    expect(seen.length).toBeGreaterThan(3);
  });

  it("kills espeak-ng and starts no further sentence when the consumer stops early", async () => {
    writeFileSync(logPath, "");
    const logged = createEspeakProvider({ binary: wrapper });
    for await (const _chunk of logged.synthesize({ text: `${"A long opening sentence with many words in it. ".repeat(1)}Second. Third.` })) break;
    const calls = speechCalls();
    expect(calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(processAlive(calls[0]!.pid)).toBe(false);
  });

  it("stops with the caller's abort reason when the signal aborts mid-stream", async () => {
    writeFileSync(logPath, "");
    const logged = createEspeakProvider({ binary: wrapper });
    const controller = new AbortController();
    let chunks = 0;
    const run = async () => {
      for await (const _chunk of logged.synthesize({ text: THREE_SENTENCES, signal: controller.signal })) {
        chunks++;
        controller.abort(new Error("client went away"));
      }
    };
    await expect(run()).rejects.toThrow("client went away");
    expect(chunks).toBe(1);
    expect(speechCalls()).toHaveLength(1);
  });
});

describe("espeak provider: language, voice, speed, emotion", () => {
  const text = "Hello, this is a test of the speaking rate and the voice of the avatar.";

  it("speaks faster with a higher speed (fewer samples) and slower with a lower one", async () => {
    const [normal, fast, slow] = await Promise.all([speak({ text }), speak({ text, speed: 2 }), speak({ text, speed: 0.6 })]);
    const ratioFast = voicedSamples(fast.samples) / voicedSamples(normal.samples);
    const ratioSlow = voicedSamples(slow.samples) / voicedSamples(normal.samples);
    expect(ratioFast).toBeLessThan(0.7);
    expect(ratioSlow).toBeGreaterThan(1.3);
  });

  it("maps BCP-47 languages to espeak voices", async () => {
    writeFileSync(logPath, "");
    const logged = createEspeakProvider({ binary: wrapper });
    for (const language of ["en", "en-GB", "de-AT", "fr-FR", "pt-BR", "zh-CN"]) await collect(logged.synthesize({ text: "Guten Tag", language }));
    expect(speechCalls().map((c) => /-v (\S+)/.exec(c.args)?.[1])).toEqual(["en-us", "en-gb", "de", "fr-fr", "pt-br", "cmn"]);
    const [en, de] = await Promise.all([speak({ text: "Guten Tag", language: "en" }), speak({ text: "Guten Tag", language: "de" })]);
    expect(Buffer.from(en.samples.buffer).equals(Buffer.from(de.samples.buffer))).toBe(false);
  });

  it("honours a variant voice id (f3 is a higher voice than the default)", async () => {
    const [male, female] = await Promise.all([speak({ text, voiceId: "espeak:en-us" }), speak({ text, voiceId: "espeak:en-us+f3" })]);
    expect(medianPitchHz(female.samples, female.sampleRate)).toBeGreaterThan(medianPitchHz(male.samples, male.sampleRate) * 1.3);
  });

  it("raises the pitch for happy and lowers it for sad", async () => {
    const [happy, sad] = await Promise.all([speak({ text, emotion: "happy" }), speak({ text, emotion: "sad" })]);
    expect(medianPitchHz(happy.samples, happy.sampleRate)).toBeGreaterThan(medianPitchHz(sad.samples, sad.sampleRate) * 1.15);
  });

  it("lists installed voices with the documented id format", async () => {
    const voices = await espeak.voices();
    const ids = voices.map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(["espeak:en-us", "espeak:en-gb", "espeak:de", "espeak:fr-fr"]));
    expect(voices[0]!.variants).toEqual(expect.arrayContaining(["f3", "m1"]));
  });
});

describe("espeak provider: bad input", () => {
  it.each([
    [{ text: "" }, "text"],
    [{ text: "   \n" }, "text"],
    [{ text: "?!…" }, "text"],
    [{ text: "a".repeat(4001) }, "text"],
    [{ text: "hi", speed: 0 }, "speed"],
    [{ text: "hi", speed: 9 }, "speed"],
    [{ text: "hi", language: "xx" }, "language"],
    [{ text: "hi", language: "english; rm -rf" }, "language"],
    [{ text: "hi", voiceId: "openai:alloy" }, "voice_id"],
    [{ text: "hi", voiceId: "espeak:en-us+nope" }, "voice_id"],
    [{ text: "hi", voiceId: "espeak:klingon" }, "voice_id"],
  ])("rejects %j naming %s", async (request, field) => {
    const error = await rejection(request);
    expect(error.code).toBe("invalid_input");
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it("speaks text that looks like options instead of obeying it", async () => {
    for (const text of ["--version", "-v xx --stdout hello", "-w /tmp/owned.wav hi"]) {
      const { samples, sampleRate } = await speak({ text });
      expect(sampleRate).toBe(22050);
      expect(samples.length / sampleRate).toBeGreaterThan(0.3);
    }
  });

  it("stops a synthesis that hangs after TTS_TIMEOUT_MS", async () => {
    // Lists voices like espeak-ng, then hangs instead of speaking (exec keeps the pid we kill).
    const hanging = join(dir, "espeak-ng-hangs");
    writeFileSync(hanging, `#!/bin/sh\ncase "$*" in *--stdout*) exec sleep 30;; esac\nexec espeak-ng "$@"\n`);
    chmodSync(hanging, 0o755);
    const error = await collect(createEspeakProvider({ binary: hanging, timeoutMs: 300 }).synthesize({ text: "hello" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("unavailable");
    expect((error as AppError).details.retryable).toBe(true);
    expect((error as AppError).message).toContain("300 ms");
  });

  it("does not count a slow consumer's time against the timeout", async () => {
    const tts = createEspeakProvider({ timeoutMs: 200 });
    let chunks = 0;
    for await (const _chunk of tts.synthesize({ text: "A sentence long enough to need several chunks of audio output." })) {
      if (chunks++ < 2) await new Promise((r) => setTimeout(r, 400)); // like a turn pacing audio at real time
    }
    expect(chunks).toBeGreaterThan(2);
  });

  it("says to run npm run setup when espeak-ng is missing", async () => {
    const missing = createEspeakProvider({ binary: join(dir, "no-such-espeak-ng") });
    const error = await collect(missing.synthesize({ text: "hello" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("unavailable");
    expect((error as AppError).message).toContain("npm run setup");
  });
});
