import "server-only";
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { concatPcm16, pcm16ToFloat } from "@/core/audio/pcm16";
import { gestureTrack } from "@/core/render/prosody-gestures";
import { analyzeVisemes } from "@/core/visemes/engine";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { encodeWav } from "@/server/media/wav";
import { renderMp4 } from "@/server/render/render-mp4";
import type { RemoteDeps } from "../assets/remote";
import { ttsProvider, visemeRunner } from "../realtime/engine";
import { LiveHold, type HoldOwner } from "../realtime/live-hold";
import { decodeChecked, fetchAudio, LIPSYNC_FPS, LIPSYNC_MAX_SECONDS, LIPSYNC_SIZE } from "../realtime/lipsync";
import type { RigEntry } from "../realtime/rig-cache";
import type { RenderSurface } from "../realtime/render-surface";
import { getStorage } from "../storage";

// One video's render: its speech (our TTS from text, or the caller's audio URL fetched with the
// SSRF defences), then, under a credit hold of exactly its length, visemes, frames and a
// fragmented MP4 that is stored and, as it is written, handed to whoever streams it.

/** Frames per second and side in pixels: the lipsync render's (the same CPU budget per second of speech). */
export const VIDEO_FPS = LIPSYNC_FPS;
export const VIDEO_SIZE = LIPSYNC_SIZE;

export type Speech = { path: string; samples: Float32Array; sampleRate: number; copyAudio: boolean };
/** What a video is drawn from: a compiled rig and the portrait bytes it was built on. */
/** What a video is drawn on: the rig and, at a size, the portrait or the source-video loop (render-surface.ts). */
export type Look = { entry: RigEntry; surface: (size: number) => Promise<RenderSurface> };
export type SpeechInput = { text: string | null; audioUrl: string | null; language: string; emotion: string; voiceId: string | null };

/** The video's speech as a file ffmpeg muxes and samples the viseme model reads; 422 codes for bad input. */
export async function videoSpeech(input: SpeechInput, deps: RemoteDeps, dir: string, signal?: AbortSignal): Promise<Speech> {
  if (input.audioUrl !== null) {
    const audio = await fetchAudio(input.audioUrl, { ...deps, tmpDir: dir });
    const decoded = await decodeChecked(audio.path);
    return { path: audio.path, samples: decoded.samples, sampleRate: decoded.sampleRate, copyAudio: decoded.codec === "aac" };
  }
  const parts: Int16Array[] = [];
  let sampleRate = 0;
  for await (const chunk of ttsProvider().synthesize({ text: input.text ?? "", language: input.language, voiceId: input.voiceId ?? undefined, emotion: input.emotion, speed: 1, signal })) {
    parts.push(chunk.pcm);
    sampleRate = chunk.sampleRate;
  }
  const samples = pcm16ToFloat(concatPcm16(parts));
  if (samples.length === 0) throw new AppError("invalid_input", "text: the TTS produced no speech for it; give words to say.", { field: "text" });
  if (samples.length / sampleRate > LIPSYNC_MAX_SECONDS) {
    throw new AppError("video_too_long", `text: it takes longer than ${LIPSYNC_MAX_SECONDS} s to say; split it into several videos.`, { kind: "invalid_input", field: "text" });
  }
  const path = join(dir, "speech.wav");
  await writeFile(path, encodeWav(samples, sampleRate));
  return { path, samples, sampleRate, copyAudio: false };
}

export type RenderedVideo = { frames: number; micros: number; sizeBytes: number; inferenceMs: number };

/**
 * Reserves the speech's length (402 before any byte), renders the MP4 into `dir`, stores it at
 * `storageKey` and settles to the seconds rendered. Any failure before the file is stored voids
 * the hold: nothing is billed for a video that does not exist.
 */
export async function renderVideo(
  db: Db,
  owner: HoldOwner,
  job: { look: Look; speech: Speech; emotion: string; dir: string; storageKey: string; avatarId: string | null; onData?: (chunk: Uint8Array) => void },
): Promise<RenderedVideo> {
  const t0 = performance.now();
  const { speech, look } = job;
  const frames = Math.max(1, Math.ceil((speech.samples.length * VIDEO_FPS) / speech.sampleRate));
  const micros = Math.floor((frames * 1_000_000) / VIDEO_FPS);
  const [hold, sizeBytes] = await LiveHold.begin(db, owner, { amountMicros: micros, purpose: "video" }, async (held) => {
    const out = join(job.dir, "video.mp4");
    const [surface, runner] = await Promise.all([look.surface(VIDEO_SIZE), visemeRunner()]);
    const track = (await analyzeVisemes(runner, speech.samples, speech.sampleRate)).frames.map((f) => f.mouth);
    await renderMp4({
      model: look.entry.model,
      ...surface,
      track,
      // The face shows the video's emotion and nods on stressed syllables, as a turn's does.
      emotion: job.emotion,
      gestures: gestureTrack(speech.samples, speech.sampleRate),
      out,
      audio: speech.path,
      size: VIDEO_SIZE,
      fps: VIDEO_FPS,
      frames,
      copyAudio: speech.copyAudio,
      fragmented: { onData: job.onData },
      signal: held.lost,
    });
    const { size } = await stat(out);
    await getStorage().putFile(job.storageKey, out, "video/mp4");
    return size;
  });
  await hold.close(micros, { kind: "video", renderedMs: Math.floor(micros / 1000), avatarId: job.avatarId });
  return { frames, micros, sizeBytes, inferenceMs: Math.round(performance.now() - t0) };
}
