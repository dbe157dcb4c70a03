import "server-only";
import { analyzeVisemes } from "@/core/visemes/engine";
import { decodeAudio } from "@/server/media/ffmpeg";
import { loadNodeVisemeRunner } from "./node-runner";

/** Decodes any ffmpeg-readable audio file and runs the viseme model over it (server side). */
export async function analyzeAudioFile(path: string, opts: { maxSeconds?: number } = {}) {
  const audio = await decodeAudio(path, { maxSeconds: opts.maxSeconds });
  const runner = await loadNodeVisemeRunner();
  const result = await analyzeVisemes(runner, audio.samples, audio.sampleRate);
  return { ...result, sampleRate: audio.sampleRate, warnings: audio.warnings };
}
