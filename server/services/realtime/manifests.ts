import "server-only";
import { and, eq } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import type { Rig } from "@/core/render/rig";
import type { Db } from "@/server/db/client";
import { avatarManifests } from "@/server/db/schema";

export type ManifestRow = typeof avatarManifests.$inferSelect;

/** One manifest of the tenant's avatar, or undefined. */
export async function findManifest(db: Db, tenantId: string, avatarId: string, manifestId: string): Promise<ManifestRow | undefined> {
  const [row] = await db
    .select()
    .from(avatarManifests)
    .where(and(eq(avatarManifests.id, manifestId), eq(avatarManifests.tenantId, tenantId), eq(avatarManifests.avatarId, avatarId)))
    .limit(1);
  return row;
}

/** Records a freshly built rig as the avatar's manifest `version`. */
export async function insertManifest(
  db: Db,
  input: { tenantId: string; avatarId: string; version: number; sourceSha256: string; modelId: string; rig: Rig; timings: Record<string, number>; videoAnalysis?: Record<string, unknown> },
): Promise<ManifestRow> {
  const [row] = await db
    .insert(avatarManifests)
    .values({ id: newId("man"), ...input, rig: input.rig as unknown as Record<string, unknown> })
    // A build that stored its manifest and died before pointing the avatar at it is built again (a
    // retried job): the same version is overwritten, never a unique-violation that fails every retry.
    .onConflictDoUpdate({ target: [avatarManifests.avatarId, avatarManifests.version], set: { sourceSha256: input.sourceSha256, modelId: input.modelId, rig: input.rig as unknown as Record<string, unknown>, timings: input.timings, videoAnalysis: input.videoAnalysis ?? null } })
    .returning();
  return row!;
}
