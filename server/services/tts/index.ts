import "server-only";
import type { Env } from "@/server/env";
import { AppError } from "@/server/errors";
import { createEspeakProvider } from "./espeak";
import { createOpenAiSpeechProvider } from "./openai-speech";
import type { TtsProvider } from "./types";

export type { TtsChunk, TtsProvider, TtsRequest, TtsVoice } from "./types";
export { TTS_LIMITS } from "./types";
export { isSpeakable } from "./validate";

export type TtsEnv = Pick<
  Env,
  "TTS_PROVIDER" | "ESPEAK_NG_PATH" | "TTS_OPENAI_BASE_URL" | "TTS_OPENAI_API_KEY" | "TTS_OPENAI_MODEL" | "TTS_OPENAI_VOICE" | "TTS_OPENAI_INSTRUCTIONS" | "TTS_TIMEOUT_MS"
>;

/** The TTS provider the configuration selects (TTS_PROVIDER: espeak by default, or openai). */
export function getTtsProvider(env: TtsEnv): TtsProvider {
  if (env.TTS_PROVIDER === "openai") {
    // A self-hosted compatible server may need no key; OpenAI itself always does.
    if (!env.TTS_OPENAI_API_KEY && new URL(env.TTS_OPENAI_BASE_URL).hostname === "api.openai.com") {
      throw new AppError("unavailable", "TTS_PROVIDER=openai with OpenAI's API needs TTS_OPENAI_API_KEY; set it, point TTS_OPENAI_BASE_URL at a compatible server, or unset TTS_PROVIDER for the embedded espeak-ng.", {
        retryable: false,
      });
    }
    return createOpenAiSpeechProvider({
      baseUrl: env.TTS_OPENAI_BASE_URL,
      apiKey: env.TTS_OPENAI_API_KEY,
      model: env.TTS_OPENAI_MODEL,
      voice: env.TTS_OPENAI_VOICE,
      timeoutMs: env.TTS_TIMEOUT_MS,
      sendInstructions: env.TTS_OPENAI_INSTRUCTIONS,
    });
  }
  return createEspeakProvider({ binary: env.ESPEAK_NG_PATH, timeoutMs: env.TTS_TIMEOUT_MS });
}
