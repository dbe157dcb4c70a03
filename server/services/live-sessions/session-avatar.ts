import "server-only";
import { and, eq, gt, ne, or } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { realtimeSessions } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { renderAssets } from "../realtime/render-assets";
import { hashClientSecret, looksLikeClientSecret } from "./secrets";

// What a browser holding only a session's client secret needs to draw the avatar itself (the
// embeddable widget, docs/widget.md): the session's avatar's rig and its portrait URL. Reading does
// not spend the secret (the socket still connects with it once); it works while the secret is
// unexpired or the session is connected, and never for an ended session. The avatar is the one the
// customer's server chose when it created the session, never one the browser names.

/** The render assets of the avatar of the session whose client secret is `secret`. */
export async function sessionAvatar(db: Db, secret: string, now = new Date()) {
  if (!looksLikeClientSecret(secret)) throw new AppError("unauthorized", "Send the session's client_secret as `Authorization: Bearer tcs_…` (never an API key).");
  const [row] = await db
    .select({ tenantId: realtimeSessions.tenantId, avatarId: realtimeSessions.avatarId, id: realtimeSessions.id })
    .from(realtimeSessions)
    .where(
      and(
        eq(realtimeSessions.secretHash, hashClientSecret(secret)),
        ne(realtimeSessions.status, "ended"),
        or(eq(realtimeSessions.status, "connected"), gt(realtimeSessions.secretExpiresAt, now)),
      ),
    )
    .limit(1);
  if (!row) throw new AppError("unauthorized", "This client secret opens no live session (unknown, expired or ended); create a new session.");
  return { session_id: row.id, ...(await renderAssets(db, row.tenantId, row.avatarId)) };
}
