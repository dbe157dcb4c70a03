import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { avatars } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { AvatarRow } from "../avatars";

// The avatar's status moves of a preparation (portrait or source video), each a compare-and-set on
// the statuses it may come from, so a disable or delete meanwhile is never overwritten.

/** Moves the avatar to `to` from one of `from` (nothing happens from any other status). */
export async function setPreparationStatus(db: Db, avatar: AvatarRow, to: "preprocessing" | "failed", reason: string | null, from: AvatarRow["status"][]): Promise<void> {
  await db
    .update(avatars)
    .set({ status: to, failureReason: reason, updatedAt: sql`now()` })
    .where(and(eq(avatars.id, avatar.id), eq(avatars.tenantId, avatar.tenantId), isNull(avatars.deletedAt), inArray(avatars.status, from)));
}

/** Points the preprocessing avatar at its new manifest and makes it ready; a conflict when it was disabled or deleted meanwhile. */
export async function markPrepared(db: Db, avatar: AvatarRow, manifest: { id: string; version: number }): Promise<void> {
  const [updated] = await db
    .update(avatars)
    .set({ status: "ready", failureReason: null, cacheManifestId: manifest.id, cacheVersion: manifest.version, updatedAt: sql`now()` })
    .where(and(eq(avatars.id, avatar.id), eq(avatars.tenantId, avatar.tenantId), isNull(avatars.deletedAt), eq(avatars.status, "preprocessing")))
    .returning({ id: avatars.id });
  if (!updated) throw new AppError("conflict", "The avatar was disabled or deleted while it was being prepared.", { field: "avatar_id" });
}
