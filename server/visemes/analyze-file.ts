import "server-only";
import { gestureTrack } from "@/core/render/prosody-gestures";
import { analyzeVisemes } from "@/core/visemes/engine";
import { decodeAudio } from "@/server/media/ffmpeg";
import { loadNodeVisemeRunner } from "./node-runner";

/** Decodes any ffmpeg-readable audio file and runs the viseme model over it (server side), with the speech gestures beside it. */
export async function analyzeAudioFile(path: string, opts: { maxSeconds?: number } = {}) {
  const audio = await decodeAudio(path, { maxSeconds: opts.maxSeconds });
  const runner = await loadNodeVisemeRunner();
  const result = await analyzeVisemes(runner, audio.samples, audio.sampleRate);
  return { ...result, gestures: gestureTrack(audio.samples, audio.sampleRate), sampleRate: audio.sampleRate, warnings: audio.warnings };
}
