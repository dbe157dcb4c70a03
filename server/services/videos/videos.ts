import "server-only";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import type { Db } from "@/server/db/client";
import { videos } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { RemoteDeps } from "../assets/remote";
import { getAvatar } from "../avatars";
import { afterListCursor, encodeListCursor } from "../list-cursor";
import type { HoldOwner } from "../realtime/live-hold";
import { preparedRig } from "../realtime/prepare";
import { renderSurface } from "../realtime/render-surface";
import { entryTexture } from "../realtime/server-frames";
import { getStorage } from "../storage";
import { presetLook } from "./presets";
import { renderVideo, videoSpeech, type Look } from "./render-video";
import type { CreateVideoInput, ListVideosQuery } from "./schemas";

export type VideoRow = typeof videos.$inferSelect;
/** The workspace (and key environment) a video belongs to; its renders are billed to it. */
export type VideoOwner = HoldOwner;

const notFound = () => new AppError("not_found", "Video not found in this workspace; list videos with GET /api/v1/videos.");
const scope = (o: Pick<VideoOwner, "tenantId" | "environment">, id: string) => and(eq(videos.id, id), eq(videos.tenantId, o.tenantId), eq(videos.environment, o.environment));

/** The avatar a video is drawn as: a preset by name, else the workspace's own (ready) avatar. */
async function lookOf(db: Db, row: Pick<VideoRow, "tenantId" | "avatarId" | "preset">): Promise<Look> {
  if (row.preset !== null) {
    const p = await presetLook(db, row.preset);
    return { entry: p.entry, surface: async (size) => ({ texture: await entryTexture(p.entry, size, async () => p.image) }) };
  }
  const avatar = await getAvatar(db, row.tenantId, row.avatarId!);
  const entry = await preparedRig(db, avatar);
  return { entry, surface: (size) => renderSurface(db, avatar, entry, size) };
}

/** The row of a new video, checked (avatar or preset exists) but not rendered. */
async function newRow(db: Db, owner: VideoOwner, input: CreateVideoInput, status: "delayed" | "rendering"): Promise<VideoRow> {
  const row: VideoRow = {
    id: newId("vid"),
    tenantId: owner.tenantId,
    environment: owner.environment,
    apiKeyId: owner.apiKeyId,
    status,
    text: input.text ?? null,
    audioUrl: input.audioUrl ?? null,
    avatarId: input.avatar_id ?? null,
    preset: input.avatar ?? null,
    emotion: input.emotion,
    language: input.language,
    voiceId: input.voice_id ?? null,
    storageKey: null,
    fileSizeBytes: null,
    durationMs: null,
    inferenceMs: null,
    creditMicros: 0,
    failure: null,
    createdAt: new Date(),
    renderStartedAt: status === "rendering" ? new Date() : null,
    renderedAt: null,
  };
  await lookOf(db, row); // refuses an unknown preset (422 with the list) or avatar (404) up front
  return row;
}

/**
 * Renders `row` (its speech, then the billed frames), storing the MP4 and marking the row ready.
 * `onData` gets the fragmented MP4 as it is written. Errors propagate; the caller decides what
 * becomes of the row.
 */
async function renderRow(db: Db, owner: VideoOwner, row: VideoRow, deps: RemoteDeps, onData?: (chunk: Uint8Array) => void): Promise<VideoRow> {
  const t0 = performance.now();
  const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), "tic-video-"));
  try {
    const [look, speech] = await Promise.all([lookOf(db, row), videoSpeech(row, deps, dir)]);
    const storageKey = `videos/${row.tenantId}/${row.id}.mp4`;
    const done = await renderVideo(db, owner, { look, speech, emotion: row.emotion, dir, storageKey, avatarId: row.avatarId, onData });
    const [ready] = await db
      .update(videos)
      .set({
        status: "ready",
        storageKey,
        fileSizeBytes: done.sizeBytes,
        durationMs: Math.floor(done.micros / 1000),
        inferenceMs: Math.round(performance.now() - t0),
        creditMicros: done.micros,
        failure: null,
        renderedAt: new Date(),
      })
      .where(eq(videos.id, row.id))
      .returning();
    return ready!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Checks a request (avatar or preset, 404/422) and records the video: `delayed`, or `rendering` for finishVideo. */
export async function createVideo(db: Db, owner: VideoOwner, input: CreateVideoInput): Promise<VideoRow> {
  const row = await newRow(db, owner, input, input.delayed ? "delayed" : "rendering");
  await db.insert(videos).values(row);
  return row;
}

/** Renders a row made by createVideo; on failure the row is removed (nothing was billed). */
export async function finishVideo(db: Db, owner: VideoOwner, row: VideoRow, deps: RemoteDeps, onData?: (chunk: Uint8Array) => void): Promise<VideoRow> {
  try {
    return await renderRow(db, owner, row, deps, onData);
  } catch (error) {
    await db.delete(videos).where(eq(videos.id, row.id));
    throw error;
  }
}

/** A video by its id alone (the public viewer and MP4 URLs: the id is the capability). */
export async function findVideoById(db: Db, id: string): Promise<VideoRow | undefined> {
  if (!/^vid_[0-9a-z]{20}$/.test(id)) return undefined;
  const [row] = await db.select().from(videos).where(eq(videos.id, id)).limit(1);
  return row;
}

const WAIT_STEP_MS = 250;
/** A render runs for seconds (at most LIPSYNC_MAX_SECONDS of speech); one still `rendering` after this died with its process. */
export const RENDER_STALE_MS = 10 * 60 * 1000;

/**
 * A delayed video's first request renders it (and bills then); requests that arrive meanwhile wait
 * for that render, on any instance, by watching the row. A render whose process died (still
 * `rendering` after RENDER_STALE_MS) is taken over the same way. A refused render (402, a bad audio
 * URL) puts the row back to `delayed` with the reason, so a later request may try again.
 */
export async function ensureRendered(db: Db, id: string, deps: RemoteDeps, owner: (row: VideoRow) => VideoOwner, signal?: AbortSignal): Promise<VideoRow> {
  for (;;) {
    signal?.throwIfAborted();
    const row = await findVideoById(db, id);
    if (!row) throw notFound();
    if (row.status === "ready") return row;
    const stale = new Date(Date.now() - RENDER_STALE_MS);
    if (row.status !== "rendering" || (row.renderStartedAt !== null && row.renderStartedAt < stale)) {
      // The conditional update lets exactly one request take the render.
      const [claimed] = await db
        .update(videos)
        .set({ status: "rendering", failure: null, renderStartedAt: new Date() })
        .where(and(eq(videos.id, id), or(eq(videos.status, "delayed"), and(eq(videos.status, "rendering"), lt(videos.renderStartedAt, stale)))))
        .returning();
      if (!claimed) continue;
      try {
        return await renderRow(db, owner(claimed), claimed, deps);
      } catch (error) {
        const failure = error instanceof AppError ? { code: error.code, message: error.message } : { code: "render_failed", message: "The render failed; try again." };
        await db.update(videos).set({ status: "delayed", failure, renderStartedAt: null }).where(eq(videos.id, id));
        throw error;
      }
    }
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
  }
}

export async function getVideo(db: Db, owner: Pick<VideoOwner, "tenantId" | "environment">, id: string): Promise<VideoRow> {
  const [row] = await db.select().from(videos).where(scope(owner, id)).limit(1);
  if (!row) throw notFound();
  return row;
}

/** Deletes the video and its file; the public URLs answer 404 from then on. */
export async function deleteVideo(db: Db, owner: Pick<VideoOwner, "tenantId" | "environment">, id: string): Promise<void> {
  const [gone] = await db.delete(videos).where(scope(owner, id)).returning();
  if (!gone) throw notFound();
  if (gone.storageKey) await getStorage().delete(gone.storageKey);
}

/** A page of the caller's videos, newest first; `next_cursor` continues after the last one. */
export async function listVideos(db: Db, owner: Pick<VideoOwner, "tenantId" | "environment">, q: ListVideosQuery) {
  const rows = await db
    .select()
    .from(videos)
    .where(
      and(
        eq(videos.tenantId, owner.tenantId),
        eq(videos.environment, owner.environment),
        afterListCursor(q.cursor, videos.createdAt, videos.id),
      ),
    )
    .orderBy(desc(videos.createdAt), desc(videos.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { rows: page, nextCursor: rows.length > q.limit ? encodeListCursor(page[page.length - 1]!) : null };
}

/** Seed 001's answer for a video (credits in micros; the URLs are public by link). */
export function toVideoJson(row: VideoRow, baseUrl: string) {
  return {
    id: row.id,
    status: row.status === "ready" ? "success" : row.status,
    stream: false,
    text: row.text,
    audioUrl: row.audioUrl,
    created_at: row.createdAt.toISOString(),
    language: row.language,
    credits_consumed: row.creditMicros,
    avatar: row.preset ?? row.avatarId,
    avatar_id: row.avatarId,
    emotion: row.emotion,
    voice_id: row.voiceId,
    file_size_bytes: row.fileSizeBytes,
    inference_duration_ms: row.inferenceMs,
    video_duration_seconds: row.durationMs === null ? null : row.durationMs / 1000,
    html_url: new URL(`/v/${row.id}`, baseUrl).toString(),
    mp4_url: new URL(`/v/${row.id}/video.mp4`, baseUrl).toString(),
    failure: row.failure,
  };
}
