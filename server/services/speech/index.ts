import "server-only";
import { join } from "node:path";
import type { Env } from "@/server/env";
import { AppError } from "@/server/errors";
import { processState } from "@/server/process-state";
import { unsupportedLanguage } from "./errors";
import { createOpenAiTranscriptionProvider } from "./openai-transcription";
import { createPocketsphinxProvider } from "./pocketsphinx";
import { startPocketsphinxEngine, type PocketsphinxConfig, type PocketsphinxEngine } from "./pocketsphinx-engine";
import type { SttProvider } from "./types";

export type { InputSource, SttOpenOptions, SttProvider, SttResult, SttSession } from "./types";
export { STT_LIMITS } from "./types";
export { createTurnDetector, TURN_DEFAULTS, type TurnDetector, type TurnDetectorSettings, type TurnEvent } from "./turn-detector";

export type SttEnv = Pick<
  Env,
  | "STT_PROVIDER"
  | "STT_POCKETSPHINX_PYTHON"
  | "STT_POCKETSPHINX_MODEL_DIR"
  | "STT_POCKETSPHINX_PROCESSES"
  | "STT_BASE_URL"
  | "STT_API_KEY"
  | "STT_MODEL"
  | "STT_LANGUAGES"
  | "STT_TIMEOUT_MS"
>;

/** The recogniser process settings the environment selects (the driver is resolved from the working directory: the Next bundle moves this file). */
export function pocketsphinxConfig(env: SttEnv): PocketsphinxConfig {
  const dir = env.STT_POCKETSPHINX_MODEL_DIR;
  return {
    python: env.STT_POCKETSPHINX_PYTHON,
    driver: join(process.cwd(), "server/services/speech/pocketsphinx-driver.py"),
    hmm: join(dir, "en-us"),
    lm: join(dir, "en-us.lm.bin"),
    dict: join(dir, "cmudict-en-us.dict"),
    processes: env.STT_POCKETSPHINX_PROCESSES,
    finishTimeoutMs: 10_000,
  };
}

// One engine per configuration per process: its processes live until exit (or the test reset).
const engines = processState(
  "sttEngine",
  () => new Map<string, PocketsphinxEngine>(),
  async (m) => {
    const all = [...m.values()];
    m.clear();
    await Promise.all(all.map((e) => e.close()));
  },
);

/** The process-wide embedded recogniser for `config`, started on first use. */
export function pocketsphinxEngine(config: PocketsphinxConfig): PocketsphinxEngine {
  const key = JSON.stringify(config);
  let engine = engines.get(key);
  if (!engine) {
    engine = startPocketsphinxEngine(config);
    engines.set(key, engine);
  }
  return engine;
}

/** The speech recogniser the configuration selects (STT_PROVIDER: pocketsphinx by default, or openai). */
export function getSttProvider(env: SttEnv): SttProvider {
  if (env.STT_PROVIDER === "openai") {
    if (!env.STT_API_KEY && new URL(env.STT_BASE_URL).hostname === "api.openai.com") {
      throw new AppError("unavailable", "STT_PROVIDER=openai with OpenAI's API needs STT_API_KEY; set it, point STT_BASE_URL at a compatible server, or unset STT_PROVIDER for the embedded pocketsphinx.", {
        retryable: false,
      });
    }
    return createOpenAiTranscriptionProvider({ baseUrl: env.STT_BASE_URL, apiKey: env.STT_API_KEY, model: env.STT_MODEL, timeoutMs: env.STT_TIMEOUT_MS, languages: env.STT_LANGUAGES });
  }
  const config = pocketsphinxConfig(env);
  // The engine starts with the first utterance, not when a provider is picked (a session may be text only).
  return createPocketsphinxProvider(() => pocketsphinxEngine(config));
}

/** Throws `unsupported_language` unless the configured recogniser does `language` (call at session start; client_stt skips it). */
export function requireSttLanguage(provider: SttProvider, language: string): void {
  if (!provider.supports(language)) throw unsupportedLanguage(language, provider.id, provider.languages);
}
