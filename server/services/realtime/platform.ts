import "server-only";
import type { Logger } from "pino";
import { z } from "zod";
import { storableText } from "@/core/text/storable";
import type { Db } from "@/server/db/client";
import { renderAssets } from "./render-assets";
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
  const a = await renderAssets(c.db, c.tenant.id, avatarId);
  const base = { avatarId: a.avatar_id, manifestId: a.manifest_id, version: a.version, rig: a.rig };
  return a.video ? { ...base, video: { loopUrl: a.video.loop_url, plan: a.video.plan } } : { ...base, portraitUrl: a.portrait_url };
}

/** A Speak request: up to 1000 characters of text. */
export const speakBody = z.object({ text: storableText.trim().min(1).max(1000) }).strict();

/** A speak_text turn (client rendering) billed to the workspace's sandbox credits. */
export function platformSpeak(c: DashboardCaller, avatarId: string, text: string, signal: AbortSignal): Promise<Response> {
  const request = turnRequest.parse({ avatar_id: avatarId, mode: "speak_text", text, render: "client" });
  return startTurn(c.db, { tenantId: c.tenant.id, environment: "test", apiKeyId: null, log: c.log.child({ userId: c.user.id, via: "dashboard" }) }, request, signal);
}
