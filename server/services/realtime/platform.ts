import "server-only";
import { z } from "zod";
import { storableText } from "@/core/text/storable";
import { resolveActiveTenant } from "@/server/api/active-tenant";
import { getSessionUser } from "@/server/auth/session";
import { getDb, type Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { ApiError, toApiErrorBody } from "@/server/http/api-error";
import { logUnexpected } from "@/server/http/client-abort";
import { logger } from "@/server/logger";
import { findAsset } from "../assets/assets";
import { getAvatar } from "../avatars";
import { preparedRig } from "./prepare";
import { startTurn } from "./turn";
import { turnRequest } from "./turn-request";

// The dashboard's realtime routes (session cookie, active workspace). A Speak turn runs on the
// workspace's TEST environment (its sandbox credits) server-side: no API key exists in the browser.

type Session = { db: Db; tenantId: string; userId: string };

async function session(req: Request): Promise<Session> {
  const user = await getSessionUser();
  if (!user) throw new ApiError(401, "unauthorized", "Sign in to use the dashboard.");
  // Cookie-authenticated POSTs must come from our own pages: a same-origin Origin when sent.
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (req.method !== "GET" && origin && host && new URL(origin).host !== host) throw new ApiError(403, "forbidden", "Cross-site request refused.");
  const db = await getDb();
  const tenant = await resolveActiveTenant(db, user.id, req.headers.get("cookie"));
  return { db, tenantId: tenant.id, userId: user.id };
}

function errorResponse(error: unknown, req: Request): Response {
  const { body, headers, unexpected } = toApiErrorBody(error);
  if (unexpected) logUnexpected(logger, error, req.signal, "dashboard realtime route failed");
  return Response.json(body, { status: body.status, headers });
}

/** GET: what the dashboard's player needs to draw the avatar: its rig and portrait URL. */
export async function platformRig(req: Request, avatarId: string): Promise<Response> {
  try {
    const s = await session(req);
    const avatar = await getAvatar(s.db, s.tenantId, avatarId);
    const entry = await preparedRig(s.db, avatar);
    const asset = await findAsset(s.db, s.tenantId, entry.sourceAssetId);
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
export async function platformSpeak(req: Request, avatarId: string): Promise<Response> {
  try {
    if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) throw new ApiError(415, "unsupported_media_type", "Send the text as application/json.");
    const s = await session(req);
    const { text } = speakBody.parse(await req.json().catch(() => ({})));
    const request = turnRequest.parse({ avatar_id: avatarId, mode: "speak_text", text, render: "client" });
    return await startTurn(s.db, { tenantId: s.tenantId, environment: "test", apiKeyId: null, log: logger.child({ userId: s.userId, via: "dashboard" }) }, request, req.signal);
  } catch (error) {
    return errorResponse(error, req);
  }
}
