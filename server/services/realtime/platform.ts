import "server-only";
import type { Logger } from "pino";
import { z } from "zod";
import { storableText } from "@/core/text/storable";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { findAsset } from "../assets/assets";
import { getAvatar } from "../avatars";
import type { LoopPlan } from "@/core/video/video-frames";
import { videoCacheForTurn } from "../video-avatars/turn-cache";
import { preparedRig } from "./prepare";
import { startTurn } from "./turn";
import { turnRequest } from "./turn-request";

// The dashboard's realtime routes (app/api/platform/avatars/**, behind dashboardRoute). A Speak turn
// runs on the workspace's TEST environment (its sandbox credits) server-side: no API key exists in
// the browser.

/** A signed-in user acting in their active workspace. */
export type DashboardCaller = { db: Db; user: { id: string }; tenant: { id: string }; log: Logger };

/**
 * What the dashboard's player needs to draw the avatar: its rig and portrait URL; for a source-video
 * avatar the loop's URL and plan instead (the page decodes the loop once, the worker warps it).
 */
export async function platformRig(c: DashboardCaller, avatarId: string) {
  const avatar = await getAvatar(c.db, c.tenant.id, avatarId);
  const entry = await preparedRig(c.db, avatar);
  const base = { avatarId: avatar.id, manifestId: entry.manifestId, version: entry.version, rig: entry.rig };
  const cache = await videoCacheForTurn(c.db, avatar, entry.manifestId, {});
  if (cache) {
    const loop = cache.loopAssetId ? await findAsset(c.db, c.tenant.id, cache.loopAssetId) : undefined;
    if (!loop) throw new AppError("not_found", "The avatar's loop video is gone; prepare the avatar again.");
    return { ...base, video: { loopUrl: `/files/${loop.publicToken}`, plan: cache.plan as unknown as LoopPlan } };
  }
  const asset = await findAsset(c.db, c.tenant.id, entry.sourceAssetId);
  if (!asset) throw new AppError("not_found", "The avatar's portrait is gone.");
  return { ...base, portraitUrl: `/files/${asset.publicToken}` };
}

/** A Speak request: up to 1000 characters of text. */
export const speakBody = z.object({ text: storableText.trim().min(1).max(1000) }).strict();

/** A speak_text turn (client rendering) billed to the workspace's sandbox credits. */
export function platformSpeak(c: DashboardCaller, avatarId: string, text: string, signal: AbortSignal): Promise<Response> {
  const request = turnRequest.parse({ avatar_id: avatarId, mode: "speak_text", text, render: "client" });
  return startTurn(c.db, { tenantId: c.tenant.id, environment: "test", apiKeyId: null, log: c.log.child({ userId: c.user.id, via: "dashboard" }) }, request, signal);
}
