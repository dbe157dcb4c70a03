import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeWav } from "@/server/media/wav";
import { AppError } from "@/server/errors";
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from "@/server/services/llm/testing/fake-openai-server";
import { getEnv } from "@/server/env";
import { getSttProvider } from "./index";
import { createOpenAiTranscriptionProvider, type OpenAiTranscriptionConfig } from "./openai-transcription";

// The OpenAI-compatible recogniser against a local server that speaks /v1/audio/transcriptions
// (a third party that cannot run here), behind the real client.

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const config = (over: Partial<OpenAiTranscriptionConfig> = {}): OpenAiTranscriptionConfig => ({
  baseUrl: server.baseUrl,
  apiKey: "sk-test-secret",
  model: "whisper-test",
  timeoutMs: 2_000,
  languages: ["en", "de"],
  ...over,
});

const tone = (n: number, rate: number) => Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / rate)));

async function upload(req: RecordedRequest): Promise<FormData> {
  return new Request("http://fake/", { method: "POST", headers: { "content-type": String(req.headers["content-type"]) }, body: new Uint8Array(req.raw) }).formData();
}

describe("OpenAI-compatible transcription provider", () => {
  it("sends the utterance as one WAV with model and language, and returns the transcript", async () => {
    server.handle((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ text: " What are your opening hours? " })));
    const stt = createOpenAiTranscriptionProvider(config());
    const session = stt.open({ language: "de-DE", sampleRate: 48_000 });
    const pcm = tone(48_000, 48_000);
    for (let i = 0; i < pcm.length; i += 960) session.push(pcm.subarray(i, i + 960));
    const result = await session.finish();
    expect(result.text).toBe("What are your opening hours?");
    expect(result.audioMs).toBe(1000);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.path).toBe("/v1/audio/transcriptions");
    expect(req.headers.authorization).toBe("Bearer sk-test-secret");
    const form = await upload(req);
    expect(form.get("model")).toBe("whisper-test");
    expect(form.get("language")).toBe("de");
    const file = form.get("file") as File;
    expect(file.name).toBe("speech.wav");
    const wav = decodeWav(new Uint8Array(await file.arrayBuffer()));
    expect(wav.sampleRate).toBe(48_000);
    expect(wav.samples.length).toBe(48_000);
    expect(Math.round(wav.samples[100]! * 32767)).toBe(pcm[100]);
  });

  it("maps a refused key to upstream_failed naming STT_API_KEY", async () => {
    server.handle((_req, res) => res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Incorrect API key" } })));
    const session = createOpenAiTranscriptionProvider(config()).open({ language: "en", sampleRate: 16_000 });
    session.push(tone(1600, 16_000));
    const error = await session.finish().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "upstream_failed", retryable: false });
    expect((error as Error).message).toContain("STT_API_KEY");
  });

  it("refuses an answer without a transcript", async () => {
    server.handle((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ transcript: "wrong shape" })));
    const session = createOpenAiTranscriptionProvider(config()).open({ language: "en", sampleRate: 16_000 });
    session.push(tone(1600, 16_000));
    await expect(session.finish()).rejects.toMatchObject({ code: "upstream_failed" });
  });

  it("abort() cancels the request in flight", async () => {
    server.handle(() => undefined); // never answers
    const session = createOpenAiTranscriptionProvider(config()).open({ language: "en", sampleRate: 16_000 });
    session.push(tone(1600, 16_000));
    const closed = server.nextClientClose();
    const finishing = session.finish();
    await new Promise((r) => setTimeout(r, 100));
    session.abort();
    await expect(finishing).rejects.toBeDefined();
    await closed;
  });

  it("refuses a language outside STT_LANGUAGES with unsupported_language", () => {
    const stt = createOpenAiTranscriptionProvider(config());
    expect(stt.supports("en-GB")).toBe(true);
    expect(() => stt.open({ language: "ja", sampleRate: 16_000 })).toThrow(expect.objectContaining({ code: "unsupported_language", status: 422 }));
  });

  it("is selected by STT_PROVIDER=openai, and refuses OpenAI's own API without a key", () => {
    const env = getEnv({ STT_PROVIDER: "openai", STT_BASE_URL: server.baseUrl, STT_LANGUAGES: "en,fr" } as unknown as NodeJS.ProcessEnv);
    const stt = getSttProvider(env);
    expect(stt.id).toBe("openai");
    expect(stt.languages).toEqual(["en", "fr"]);
    expect(() => getSttProvider(getEnv({ STT_PROVIDER: "openai" } as unknown as NodeJS.ProcessEnv))).toThrow(expect.objectContaining({ code: "unavailable" }));
    expect(getSttProvider(getEnv({} as unknown as NodeJS.ProcessEnv)).id).toBe("pocketsphinx");
  });
});
