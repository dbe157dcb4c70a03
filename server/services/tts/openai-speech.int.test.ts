import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { startFakeOpenAiServer, writeSlowly, type FakeOpenAiServer } from "@/server/services/llm/testing/fake-openai-server";
import { getTtsProvider, type TtsEnv } from "./index";
import { createOpenAiSpeechProvider, type OpenAiSpeechConfig } from "./openai-speech";
import { collect } from "./testing/pcm-measure";

// The OpenAI-compatible speech provider against a local server that speaks /v1/audio/speech.

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const config = (over: Partial<OpenAiSpeechConfig> = {}): OpenAiSpeechConfig => ({
  baseUrl: server.baseUrl,
  apiKey: "sk-test-secret",
  model: "tts-test",
  voice: "alloy",
  timeoutMs: 2_000,
  sendInstructions: false,
  ...over,
});

/** A 440 Hz tone as PCM16 little-endian bytes. */
function toneBytes(samples: number, sampleRate = 24_000): { bytes: Uint8Array; pcm: Int16Array } {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  const bytes = new Uint8Array(samples * 2);
  const view = new DataView(bytes.buffer);
  pcm.forEach((s, i) => view.setInt16(i * 2, s, true));
  return { bytes, pcm };
}

function wavBytes(pcmBytes: Uint8Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(44 + pcmBytes.length);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, 36 + pcmBytes.length, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, pcmBytes.length, true);
  out.set(pcmBytes, 44);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => new Error("expected a failure"),
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw error;
  return error;
}

describe("OpenAI-compatible TTS", () => {
  it("streams PCM split at odd byte boundaries into whole samples at 24 kHz", async () => {
    const { bytes, pcm } = toneBytes(4_801);
    server.handle(async (_req, res) => {
      res.writeHead(200, { "content-type": "audio/pcm" });
      await writeSlowly(res, [bytes.subarray(0, 1), bytes.subarray(1, 2_001), bytes.subarray(2_001, 5_555), bytes.subarray(5_555)]);
      res.end();
    });
    const tts = createOpenAiSpeechProvider(config());
    const { chunks, samples, sampleRate } = await collect(tts.synthesize({ text: "Hello there.", speed: 1.5, voiceId: "openai:nova" }));
    expect(sampleRate).toBe(24_000);
    expect(samples).toEqual(pcm);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0]!.text).toBe("Hello there.");
    const req = server.requests[0]!;
    expect(req.path).toBe("/v1/audio/speech");
    expect(req.headers.authorization).toBe("Bearer sk-test-secret");
    expect(req.body).toEqual({ model: "tts-test", input: "Hello there.", voice: "nova", response_format: "pcm", speed: 1.5 });
  });

  it("sends the emotion as instructions only when configured to", async () => {
    server.handle((_req, res) => res.writeHead(200, { "content-type": "audio/pcm" }).end(toneBytes(100).bytes));
    await collect(createOpenAiSpeechProvider(config()).synthesize({ text: "Hi", emotion: "happy" }));
    await collect(createOpenAiSpeechProvider(config({ sendInstructions: true })).synthesize({ text: "Hi", emotion: "happy" }));
    expect((server.requests[0]!.body as Record<string, unknown>).instructions).toBeUndefined();
    expect((server.requests[1]!.body as Record<string, unknown>).instructions).toBe("Speak in a happy tone.");
  });

  it("reads the sample rate of a server that answers WAV anyway", async () => {
    const { bytes, pcm } = toneBytes(1_000, 16_000);
    server.handle(async (_req, res) => {
      res.writeHead(200, { "content-type": "audio/wav" });
      const wav = wavBytes(bytes, 16_000);
      await writeSlowly(res, [wav.subarray(0, 10), wav.subarray(10, 47), wav.subarray(47)]);
      res.end();
    });
    const { samples, sampleRate } = await collect(createOpenAiSpeechProvider(config()).synthesize({ text: "Hi" }));
    expect(sampleRate).toBe(16_000);
    expect(samples).toEqual(pcm);
  });

  it.each([
    [401, { error: { message: "Incorrect API key provided", code: "invalid_api_key" } }, false, "TTS_OPENAI_API_KEY"],
    [404, { error: { message: "model not found" } }, false, "TTS_OPENAI_BASE_URL"],
    [400, { error: { message: "input too long" } }, false, "input too long"],
    [429, { error: { message: "Rate limit reached", code: "rate_limit_exceeded" } }, true, "Rate limited"],
    [429, { error: { message: "You exceeded your current quota", code: "insufficient_quota" } }, false, "quota"],
    [500, "upstream exploded", true, "upstream exploded"],
    [503, { error: "overloaded" }, true, "overloaded"],
  ])("maps HTTP %i to upstream_failed (retryable: %s)", async (status, body, retryable, mentions) => {
    server.handle((_req, res) => res.writeHead(status, { "content-type": "application/json" }).end(typeof body === "string" ? body : JSON.stringify(body)));
    const error = await failure(collect(createOpenAiSpeechProvider(config()).synthesize({ text: "Hi" })));
    expect(error.code).toBe("upstream_failed");
    expect(error.status).toBe(502);
    expect(error.details.retryable).toBe(retryable);
    expect(error.message).toContain(String(status));
    expect(error.message).toContain(mentions);
    expect(error.message).not.toContain("sk-test-secret");
  });

  it("times out when the server does not answer, and when it stalls mid-stream", async () => {
    server.handle(() => undefined); // never answers
    const silent = await failure(collect(createOpenAiSpeechProvider(config({ timeoutMs: 300 })).synthesize({ text: "Hi" })));
    expect(silent.code).toBe("upstream_failed");
    expect(silent.details.retryable).toBe(true);
    expect(silent.message).toContain("300 ms");
    expect(silent.message).toContain("TTS_TIMEOUT_MS");

    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "audio/pcm" });
      res.write(toneBytes(2_400).bytes); // then silence, connection left open
    });
    const received: number[] = [];
    const stalled = await failure(
      (async () => {
        for await (const chunk of createOpenAiSpeechProvider(config({ timeoutMs: 300 })).synthesize({ text: "Hi" })) received.push(chunk.pcm.length);
      })(),
    );
    expect(received.reduce((a, b) => a + b, 0)).toBe(2_400);
    expect(stalled.message).toContain("while streaming");
  });

  it("does not count a slow consumer's time against the timeout", async () => {
    server.handle(async (_req, res) => {
      res.writeHead(200, { "content-type": "audio/pcm" });
      await writeSlowly(res, [toneBytes(480).bytes, toneBytes(480).bytes, toneBytes(480).bytes], 20);
      res.end();
    });
    let samples = 0;
    for await (const chunk of createOpenAiSpeechProvider(config({ timeoutMs: 200 })).synthesize({ text: "Hi" })) {
      samples += chunk.pcm.length;
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(samples).toBe(1_440);
  });

  it("stops the request when the caller aborts mid-stream", async () => {
    server.handle(async (_req, res) => {
      res.writeHead(200, { "content-type": "audio/pcm" });
      for (let i = 0; i < 200 && !res.destroyed; i++) await writeSlowly(res, [toneBytes(480).bytes], 10);
      res.end();
    });
    const controller = new AbortController();
    const closed = server.nextClientClose();
    let chunks = 0;
    const run = (async () => {
      for await (const _c of createOpenAiSpeechProvider(config()).synthesize({ text: "Hi", signal: controller.signal })) {
        if (++chunks === 2) controller.abort(new Error("viewer left"));
      }
    })();
    await expect(run).rejects.toThrow("viewer left");
    await closed; // the server saw the connection go away
    expect(chunks).toBe(2);
  });

  it("reports an unreachable server as retryable", async () => {
    const error = await failure(collect(createOpenAiSpeechProvider(config({ baseUrl: "http://127.0.0.1:9/v1" })).synthesize({ text: "Hi" })));
    expect(error.code).toBe("upstream_failed");
    expect(error.details.retryable).toBe(true);
    expect(error.message).toContain("TTS_OPENAI_BASE_URL");
  });

  it("rejects an espeak voice id before calling the server", async () => {
    const error = await failure(collect(createOpenAiSpeechProvider(config()).synthesize({ text: "Hi", voiceId: "espeak:en-us+f3" })));
    expect(error.details.field).toBe("voice_id");
    expect(server.requests).toHaveLength(0);
  });
});

describe("getTtsProvider", () => {
  const env: TtsEnv = {
    TTS_PROVIDER: "espeak",
    ESPEAK_NG_PATH: "espeak-ng",
    TTS_OPENAI_BASE_URL: "https://api.openai.com/v1",
    TTS_OPENAI_API_KEY: undefined,
    TTS_OPENAI_MODEL: "gpt-4o-mini-tts",
    TTS_OPENAI_VOICE: "alloy",
    TTS_OPENAI_INSTRUCTIONS: false,
    TTS_TIMEOUT_MS: 30_000,
  };

  it("chooses by TTS_PROVIDER", () => {
    expect(getTtsProvider(env).id).toBe("espeak");
    expect(getTtsProvider({ ...env, TTS_PROVIDER: "openai", TTS_OPENAI_API_KEY: "sk-x" }).id).toBe("openai");
    expect(getTtsProvider({ ...env, TTS_PROVIDER: "openai", TTS_OPENAI_BASE_URL: server.baseUrl }).id).toBe("openai");
  });

  it("refuses OpenAI's own API without a key, naming the variable", () => {
    expect(() => getTtsProvider({ ...env, TTS_PROVIDER: "openai" })).toThrow(/TTS_OPENAI_API_KEY/);
  });
});
