import "server-only";
import { join } from "node:path";
import { VISEMES_V1_PATH } from "@/core/visemes/model-spec";
import type { VisemeModelRunner } from "@/core/visemes/runner";
import { getEnv } from "@/server/env";
import { loadNodeVisemeRunner } from "@/server/visemes/node-runner";
import { getTtsProvider, type TtsProvider } from "../tts";

// What every turn needs, loaded once per process: the viseme model session and the TTS provider.
// prepare() awaits warmEngine() so the first turn does not pay for loading them.

/** The viseme model under public/ resolved from the app root (not import.meta.url: the Next bundle moves files). */
export function visemeModelFile(root = process.cwd()): string {
  return join(root, "public", VISEMES_V1_PATH);
}

/** The process-wide viseme runner (one onnxruntime session). */
export function visemeRunner(): Promise<VisemeModelRunner> {
  return loadNodeVisemeRunner(visemeModelFile());
}

/** The configured TTS provider. */
export function ttsProvider(): TtsProvider {
  return getTtsProvider(getEnv());
}

let ttsReady: Promise<void> | undefined;

/** Loads the viseme model and checks the TTS engine answers (espeak-ng installed, voices listed). */
export async function warmEngine(): Promise<{ visemeMs: number; ttsMs: number }> {
  const t0 = performance.now();
  const runner = visemeRunner().then(() => performance.now() - t0);
  ttsReady ??= ttsProvider()
    .voices()
    .then(() => undefined)
    .catch((error: unknown) => {
      ttsReady = undefined; // an operator may install espeak-ng and retry
      throw error;
    });
  const tts = ttsReady.then(() => performance.now() - t0);
  const [visemeMs, ttsMs] = await Promise.all([runner, tts]);
  return { visemeMs: round(visemeMs), ttsMs: round(ttsMs) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
