import "server-only";
import { z } from "zod";
import { storableText } from "@/core/text/storable";
import { AppError } from "@/server/errors";
import { ApiError, toApiErrorBody } from "@/server/http/api-error";
import { logUnexpected } from "@/server/http/client-abort";
import { dashboardSession, type SessionLookup } from "@/server/http/dashboard-session";
import { bodyLimit, readJson } from "@/server/http/request-body";
import { logger } from "@/server/logger";
import { findAsset } from "../assets/assets";
import { getAvatar } from "../avatars";
import { preparedRig } from "./prepare";
import { startTurn } from "./turn";
import { turnRequest } from "./turn-request";

// The dashboard's realtime routes (session cookie, active workspace; server/http/dashboard-session.ts).
// A Speak turn runs on the workspace's TEST environment (its sandbox credits) server-side: no API key
// exists in the browser.

/** A Speak request is up to 1000 characters of text as JSON. */
export const SPEAK_BODY_LIMIT = bodyLimit(16 * 1024, 413, "Speak requests");

function errorResponse(error: unknown, req: Request): Response {
  const { body, headers, unexpected } = toApiErrorBody(error);
  if (unexpected) logUnexpected(logger, error, req.signal, "dashboard realtime route failed");
  return Response.json(body, { status: body.status, headers });
}

/** GET: what the dashboard's player needs to draw the avatar: its rig and portrait URL. */
export async function platformRig(req: Request, avatarId: string, signedIn?: SessionLookup): Promise<Response> {
  try {
    const s = await dashboardSession(req, signedIn);
    const avatar = await getAvatar(s.db, s.tenant.id, avatarId);
    const entry = await preparedRig(s.db, avatar);
    const asset = await findAsset(s.db, s.tenant.id, entry.sourceAssetId);
    if (!asset) throw new AppError("not_found", "The avatar's portrait is gone.");
    return Response.json(
      { avatarId: avatar.id, manifestId: entry.manifestId, version: entry.version, rig: entry.rig, portraitUrl: `/files/${asset.publicToken}` },
      { headers: { "cache-control": "private, no-store" } },
    );
  } catch (error) {
    return errorResponse(error, req);
  }
}

const speakBody = z.object({ text: storableText.trim().min(1).max(1000) }).strict();

/** POST {text}: a speak_text turn (client rendering) billed to the workspace's sandbox credits. */
export async function platformSpeak(req: Request, avatarId: string, signedIn?: SessionLookup): Promise<Response> {
  try {
    if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) throw new ApiError(415, "unsupported_media_type", "Send the text as application/json.");
    const s = await dashboardSession(req, signedIn);
    const { text } = speakBody.parse(await readJson(req, SPEAK_BODY_LIMIT));
    const request = turnRequest.parse({ avatar_id: avatarId, mode: "speak_text", text, render: "client" });
    return await startTurn(s.db, { tenantId: s.tenant.id, environment: "test", apiKeyId: null, log: logger.child({ userId: s.user.id, via: "dashboard" }) }, request, req.signal);
  } catch (error) {
    return errorResponse(error, req);
  }
}
