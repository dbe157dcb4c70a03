import "server-only";
import { pcm16ToFloat } from "@/core/audio/pcm16";
import { encodeWav } from "@/server/media/wav";
import { AppError } from "@/server/errors";
import { openAiPost, type OpenAiEndpoint } from "@/server/services/llm/openai-http";
import { languageIn, unsupportedLanguage } from "./errors";
import { STT_LIMITS, type SttOpenOptions, type SttProvider, type SttSession } from "./types";

// An OpenAI-compatible POST {base}/audio/transcriptions (multipart: file, model, language): OpenAI,
// or a self-hosted Whisper server speaking the same API. The endpoint takes a whole file, so an
// utterance is held (bounded by STT_LIMITS) and sent when it ends; there are no partial results.

export type OpenAiTranscriptionConfig = {
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  /** ISO 639-1 codes the configured model recognises (STT_LANGUAGES). */
  languages: readonly string[];
};

/** The OpenAI-compatible transcription provider. */
export function createOpenAiTranscriptionProvider(config: OpenAiTranscriptionConfig): SttProvider {
  const endpoint: OpenAiEndpoint = {
    label: "The speech recogniser",
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    vars: { baseUrl: "STT_BASE_URL", apiKey: "STT_API_KEY", model: "STT_MODEL", timeout: "STT_TIMEOUT_MS" },
  };
  const supports = (language: string) => languageIn(language, config.languages);

  return {
    id: "openai",
    languages: config.languages,
    supports,
    open(options: SttOpenOptions): SttSession {
      if (!supports(options.language)) throw unsupportedLanguage(options.language, `OpenAI-compatible, ${config.model}`, config.languages);
      const maxSamples = Math.round((STT_LIMITS.maxUtteranceMs * options.sampleRate) / 1000);
      const parts: Int16Array[] = [];
      let held = 0;
      const controller = new AbortController();
      let used = false;
      return {
        push(pcm) {
          const room = maxSamples - held;
          if (used || room <= 0 || pcm.length === 0) return;
          const piece = pcm.length > room ? pcm.slice(0, room) : pcm.slice();
          parts.push(piece);
          held += piece.length;
        },
        async finish() {
          if (used) throw new Error("finish() called twice on one utterance");
          used = true;
          const started = performance.now();
          const samples = new Int16Array(held);
          let at = 0;
          for (const p of parts) {
            samples.set(p, at);
            at += p.length;
          }
          parts.length = 0;
          const form = new FormData();
          form.append("file", new Blob([new Uint8Array(encodeWav(pcm16ToFloat(samples), options.sampleRate))], { type: "audio/wav" }), "speech.wav");
          form.append("model", config.model);
          form.append("language", options.language.trim().toLowerCase().split(/[-_]/)[0]!);
          form.append("response_format", "json");
          const response = await openAiPost(endpoint, "/audio/transcriptions", form, controller.signal);
          let body = "";
          const decoder = new TextDecoder();
          for await (const piece of response.body) body += decoder.decode(piece, { stream: true });
          let text: unknown;
          try {
            text = (JSON.parse(body) as { text?: unknown }).text;
          } catch {
            text = undefined;
          }
          if (typeof text !== "string") {
            throw new AppError("upstream_failed", `The speech recogniser at ${config.baseUrl} answered without a transcript (expected JSON {"text": …}); check STT_BASE_URL and STT_MODEL.`, { retryable: false });
          }
          return { text: text.trim(), audioMs: Math.round((held * 1000) / options.sampleRate), finishMs: Math.round(performance.now() - started) };
        },
        abort() {
          used = true;
          parts.length = 0;
          controller.abort(new Error("aborted"));
        },
      };
    },
  };
}
