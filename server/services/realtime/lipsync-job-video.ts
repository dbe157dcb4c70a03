import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { assets } from "@/server/db/schema";
import type { AssetRow } from "../assets/assets";
import { LiveHold, type HoldOwner } from "./live-hold";

// A lipsync render run as a durable job may be attempted twice (a killed worker, a lost lease). The
// video it stores carries the job id, and its charge is claimed on the same row in the transaction
// that settles the hold: a second attempt finds the video (no second render) and sees it billed (no
// second charge), or bills it once if the first attempt died between storing and billing.

export type JobVideo = { lipsync: { avatarId: string; audioUrl: string; frames: number; micros: number; jobId?: string; reservationId?: string } };

const FPS = 25;

/** The video a job's earlier attempt stored, if any. */
export async function findJobVideo(db: Db, tenantId: string, jobId: string): Promise<AssetRow | undefined> {
  const [row] = await db
    .select()
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), sql`${assets.metadata}->'lipsync'->>'jobId' = ${jobId}`))
    .limit(1);
  return row;
}

/** Settles `hold` for the stored video, unless another attempt billed it first (then the hold is voided). */
export async function billJobVideo(db: Db, hold: LiveHold, video: AssetRow): Promise<void> {
  const meta = (video.metadata as JobVideo).lipsync;
  const billed = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(assets)
      .set({ metadata: sql`jsonb_set(${assets.metadata}, '{lipsync,reservationId}', to_jsonb(${hold.id}::text))` })
      .where(and(eq(assets.id, video.id), eq(assets.tenantId, video.tenantId), sql`not (${assets.metadata}->'lipsync' ? 'reservationId')`))
      .returning({ id: assets.id });
    if (!claimed) return false;
    await hold.close(Math.min(hold.amountMicros, meta.micros), { kind: "lipsync", renderedMs: Math.floor(meta.micros / 1000), avatarId: meta.avatarId }, tx as unknown as Db);
    return true;
  });
  if (!billed) await hold.close(0);
}

/** A retried job's answer from the video an earlier attempt stored, billing it now if that attempt could not. */
export async function finishJobVideo(db: Db, owner: HoldOwner, video: AssetRow, baseUrl: string) {
  const meta = (video.metadata as JobVideo).lipsync;
  if (!meta.reservationId) await billJobVideo(db, await LiveHold.reserve(db, owner, { amountMicros: Math.max(1, meta.micros), purpose: "lipsync" }), video);
  return toResult(video, baseUrl);
}

/** The public answer for a stored lipsync video. */
export function toResult(video: AssetRow, baseUrl: string) {
  const meta = (video.metadata as JobVideo).lipsync;
  return { url: new URL(`/files/${video.publicToken}`, baseUrl).toString(), avatarId: meta.avatarId, frames: meta.frames, fps: FPS, durationSeconds: meta.frames / FPS };
}
