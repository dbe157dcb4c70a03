import "server-only";
import { join } from "node:path";
import { VISEME_MODEL_PATH } from "@/core/visemes/model-spec";
import type { VisemeModelRunner } from "@/core/visemes/runner";
import { getEnv } from "@/server/env";
import { processState } from "@/server/process-state";
import { visemeSession } from "@/server/visemes/viseme-sessions";
import { getTtsProvider, type TtsProvider } from "../tts";

// What every turn needs, loaded once per process: the viseme model session and the TTS provider.
// prepare() awaits warmEngine() so the first turn does not pay for loading them.

/** The viseme model under public/ resolved from the app root (not import.meta.url: the Next bundle moves files). */
export function visemeModelFile(root = process.cwd()): string {
  return join(root, "public", VISEME_MODEL_PATH);
}

/** The process-wide viseme runner: the shipped model in one onnxruntime-node session (server/visemes/viseme-sessions). */
export function visemeRunner(): Promise<VisemeModelRunner> {
  return visemeSession(visemeModelFile());
}

/** The configured TTS provider. */
export function ttsProvider(): TtsProvider {
  return getTtsProvider(getEnv());
}

const tts = processState("ttsReady", () => ({ ready: undefined as Promise<void> | undefined }), (t) => {
  t.ready = undefined;
});

/** Loads the viseme model and checks the TTS engine answers (espeak-ng installed, voices listed). */
export async function warmEngine(): Promise<{ visemeMs: number; ttsMs: number }> {
  const t0 = performance.now();
  const runner = visemeRunner().then(() => performance.now() - t0);
  tts.ready ??= ttsProvider()
    .voices()
    .then(() => undefined)
    .catch((error: unknown) => {
      tts.ready = undefined; // an operator may install espeak-ng and retry
      throw error;
    });
  const ttsLoaded = tts.ready.then(() => performance.now() - t0);
  const [visemeMs, ttsMs] = await Promise.all([runner, ttsLoaded]);
  return { visemeMs: round(visemeMs), ttsMs: round(ttsMs) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
