import "server-only";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gestureTrack } from "@/core/render/prosody-gestures";
import { analyzeVisemes } from "@/core/visemes/engine";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { decodeAudio, MediaError, probeAudio } from "@/server/media/ffmpeg";
import { renderMp4 } from "@/server/render/render-mp4";
import { storeReceived, type AssetDeps, type AssetRow } from "../assets/assets";
import { ingestRemote, type RemoteDeps } from "../assets/remote";
import { receiveToTempFile } from "../assets/receive";
import { createAvatar, getAvatar, type AvatarRow } from "../avatars";
import { safeFetch, SafeFetchError } from "../net/safe-fetch";
import { visemeRunner } from "./engine";
import { LiveHold, type HoldOwner } from "./live-hold";
import { billJobVideo, findJobVideo, finishJobVideo, toResult, type JobVideo } from "./lipsync-job-video";
import { preparedRig, prepareAvatar } from "./prepare";
import { renderSurface } from "./render-surface";

/** Longest audio a lipsync call renders (documented in docs/realtime-turns.md). */
export const LIPSYNC_MAX_SECONDS = 120;
export const LIPSYNC_FPS = 25;
/** Output side in pixels: 384 keeps the CPU rasteriser + x264 near 3 s of CPU for 10 s of audio (512 costs ~1.8x). */
export const LIPSYNC_SIZE = 384;
/** Below this peak level (about -60 dBFS) the clip is silence: there is nothing to lipsync. */
const SILENCE_PEAK = 0.001;

export type LipsyncInput = { audioUrl: string; avatarId?: string; portraitUrl?: string; backgroundId?: string };
export type LipsyncCaller = HoldOwner;
export type LipsyncResult = { url: string; avatarId: string; frames: number; fps: number; durationSeconds: number };

/** Unusable audio: a specific public code (audio_silent, audio_too_long …) of kind invalid_input (422). */
const badAudio = (code: string, message: string, cause?: unknown) => new AppError(code, message, { kind: "invalid_input", field: "audioUrl", retryable: false, cause });

/**
 * Non-streaming lipsync: fetch the audio (SSRF-safe, capped), make sure the avatar is prepared
 * (registering `portraitUrl` as a new avatar), reserve its length in credits, render the MP4 on the
 * CPU rasteriser, store it as a video asset and settle. Bad audio (not audio, silent, over
 * LIPSYNC_MAX_SECONDS) is 422 before anything is reserved. The hold is renewed while the render
 * runs; a client that leaves (`signal`) before the video is stored stops the render and pays nothing.
 */
export async function runLipsync(db: Db, caller: LipsyncCaller, input: LipsyncInput, deps: RemoteDeps & { baseUrl: string }, signal?: AbortSignal, opts: { jobId?: string } = {}): Promise<LipsyncResult> {
  // A job's earlier attempt may have stored its video already (and died before or after billing it).
  const done = opts.jobId ? await findJobVideo(db, caller.tenantId, opts.jobId) : undefined;
  if (done) return finishJobVideo(db, caller, done, deps.baseUrl);
  const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), "tic-lipsync-"));
  try {
    // Temp files live in `dir`, removed at the end whatever happens.
    const audio = await fetchAudio(input.audioUrl, { ...deps, tmpDir: dir });
    const decoded = await decodeChecked(audio.path);
    const avatar = input.avatarId ? await getAvatar(db, caller.tenantId, input.avatarId) : await registerPortrait(db, caller.tenantId, input.portraitUrl!, deps);
    if (avatar.status !== "ready") await prepareAvatar(db, caller.tenantId, avatar.id);
    const avatarRow = await getAvatar(db, caller.tenantId, avatar.id);
    const entry = await preparedRig(db, avatarRow);

    const frames = Math.ceil((decoded.samples.length * LIPSYNC_FPS) / decoded.sampleRate);
    const micros = Math.floor((frames * 1_000_000) / LIPSYNC_FPS);
    const [hold, stored] = await LiveHold.begin(db, caller, { amountMicros: Math.max(1, micros), purpose: "lipsync", signal }, async (held): Promise<AssetRow> => {
      // Stop rendering when the client leaves or the hold can no longer be kept.
      const stop = signal ? AbortSignal.any([signal, held.lost]) : held.lost;
      stop.throwIfAborted();
      const out = join(dir, "lipsync.mp4");
      const [look, runner] = await Promise.all([renderSurface(db, avatarRow, entry, LIPSYNC_SIZE), visemeRunner()]);
      const track = (await analyzeVisemes(runner, decoded.samples, decoded.sampleRate)).frames.map((f) => f.mouth);
      const gestures = gestureTrack(decoded.samples, decoded.sampleRate);
      await renderMp4({ model: entry.model, ...look, track, gestures, out, audio: audio.path, size: LIPSYNC_SIZE, fps: LIPSYNC_FPS, frames, copyAudio: decoded.codec === "aac", signal: stop });
      stop.throwIfAborted();
      const file = await receiveToTempFile(createReadStream(out), { limits: deps.limits, tmpDir: dir, expectedKind: () => "video" });
      const lipsync: JobVideo["lipsync"] = { avatarId: avatar.id, audioUrl: input.audioUrl, frames, micros, ...(opts.jobId ? { jobId: opts.jobId } : {}) };
      return storeReceived(db, caller.tenantId, file, { expectedKind: () => "video", originalFilename: "lipsync.mp4", metadata: { lipsync } }, deps as AssetDeps);
    });
    // Stored: the video is in the workspace's assets, so it is billed even if the client left now.
    if (opts.jobId) {
      await billJobVideo(db, hold, stored);
      return toResult(stored, deps.baseUrl);
    }
    await hold.close(hold.amountMicros, { kind: "lipsync", renderedMs: Math.floor(micros / 1000), avatarId: avatar.id });
    return { url: new URL(`/files/${stored.publicToken}`, deps.baseUrl).toString(), avatarId: avatar.id, frames, fps: LIPSYNC_FPS, durationSeconds: frames / LIPSYNC_FPS };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fetches a caller's audio URL with the SSRF defences (safeFetch), capped and sniffed as audio; 422 codes on `audioUrl`. */
export async function fetchAudio(url: string, deps: RemoteDeps) {
  try {
    const response = await safeFetch(url, { maxBytes: deps.limits.maxBytes.audio, timeoutMs: deps.limits.remoteTimeoutMs, policy: deps.policy, resolve: deps.resolve });
    if (response.status >= 400) throw badAudio("audio_fetch_failed", `audioUrl answered HTTP ${response.status}; use a public URL that serves the audio file.`);
    // Sniffed from the bytes: images, video and anything unknown are refused here.
    return await receiveToTempFile(response.body, { limits: deps.limits, tmpDir: deps.tmpDir, expectedKind: () => "audio" });
  } catch (error) {
    if (error instanceof SafeFetchError) {
      const blocked = error.code === "address_not_allowed" || error.code === "scheme_not_allowed" || error.code === "invalid_url";
      throw badAudio(blocked ? "remote_url_not_allowed" : "audio_fetch_failed", `audioUrl: ${error.message}`, error);
    }
    throw error;
  }
}

/** Decodes fetched audio, refusing (422 on `audioUrl`) what is unreadable, silent or past LIPSYNC_MAX_SECONDS. */
export async function decodeChecked(path: string) {
  let decoded;
  let codec: string;
  try {
    codec = (await probeAudio(path)).codec;
    decoded = await decodeAudio(path, { maxSeconds: LIPSYNC_MAX_SECONDS + 1, timeoutMs: 60_000 });
  } catch (error) {
    if (error instanceof MediaError && error.code === "too_long") throw badAudio("audio_too_long", `audioUrl: the audio is longer than ${LIPSYNC_MAX_SECONDS} s; split it into shorter clips.`);
    if (error instanceof MediaError) throw badAudio("audio_unreadable", `audioUrl: the file could not be decoded as audio (${error.code}).`);
    throw error;
  }
  const seconds = decoded.samples.length / decoded.sampleRate;
  if (seconds > LIPSYNC_MAX_SECONDS) throw badAudio("audio_too_long", `audioUrl: the audio is longer than ${LIPSYNC_MAX_SECONDS} s; split it into shorter clips.`);
  if (decoded.samples.length === 0) throw badAudio("audio_silent", "audioUrl: the file holds no audio samples.");
  let peak = 0;
  for (const v of decoded.samples) if (Math.abs(v) > peak) peak = Math.abs(v);
  if (peak < SILENCE_PEAK) throw badAudio("audio_silent", "audioUrl: the audio is silent (peak below -60 dBFS); there is no speech to lipsync.");
  return { ...decoded, codec };
}

async function registerPortrait(db: Db, tenantId: string, portraitUrl: string, deps: RemoteDeps): Promise<AvatarRow> {
  const asset = await ingestRemote(db, tenantId, { kind: "image", remoteUrl: portraitUrl }, deps);
  return createAvatar(db, tenantId, { displayName: asset.originalFilename ?? "Lipsync portrait", sourceKind: "image", sourceAssetId: asset.id, metadata: { registeredBy: "lipsync" } });
}
