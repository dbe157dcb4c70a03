import "server-only";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { VisemeError } from "@/core/visemes/errors";
import { VISEME_MODEL, VISEME_MODEL_PATH } from "@/core/visemes/model-spec";
import { createOrtRunner, type OrtLike, type OrtSessionLike, type VisemeModelRunner } from "@/core/visemes/runner";
import { getEnv } from "@/server/env";
import { getTtsProvider, type TtsProvider } from "../tts";

// What every turn needs, loaded once per process: the viseme model session and the TTS provider.
// prepare() awaits warmEngine() so the first turn does not pay for loading them.

/** The viseme model under public/ resolved from the app root (not import.meta.url: the Next bundle moves files). */
export function visemeModelFile(root = process.cwd()): string {
  return join(root, "public", VISEME_MODEL_PATH);
}

const globalForRunner = globalThis as unknown as { ticTurnVisemeRunner?: Promise<VisemeModelRunner> };

/**
 * The process-wide viseme runner: one onnxruntime-node session, one intra-op thread (the per-batch
 * work is small and the server runs many streams). Same settings as server/visemes/node-runner.ts,
 * which cannot be used inside the Next.js bundle: its model path comes from import.meta.url.
 */
export function visemeRunner(): Promise<VisemeModelRunner> {
  globalForRunner.ticTurnVisemeRunner ??= ort.InferenceSession.create(visemeModelFile(), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  })
    .then((s) => createOrtRunner(ort as unknown as OrtLike, s as unknown as OrtSessionLike, VISEME_MODEL))
    .catch((cause: unknown) => {
      globalForRunner.ticTurnVisemeRunner = undefined;
      throw new VisemeError("model_failed", `cannot load the viseme model ${visemeModelFile()}: ${String(cause)}`, { cause });
    });
  return globalForRunner.ticTurnVisemeRunner;
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
