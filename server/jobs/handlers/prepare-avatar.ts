import "server-only";
import { AppError } from "@/server/errors";
import { RigRejected } from "@/server/services/realtime/build-rig";
import { markPreparationFailed, markPreparing, prepareAvatar } from "@/server/services/realtime/prepare";
import type { JobHandler } from "../worker";

/**
 * Builds the avatar's rig. Idempotent: a ready avatar whose manifest matches its source is a cache
 * hit, and a rebuild overwrites the version an interrupted attempt stored. A portrait the engine
 * refuses is an answer, not a crash: the avatar is failed with why, and the job completes.
 */
export const prepareAvatarJob: JobHandler<"prepare-avatar"> = {
  async run(db, { tenantId, avatarId }, ctx) {
    await markPreparing(db, tenantId, avatarId); // from the moment a worker holds it, until ready | failed
    try {
      const prepared = await prepareAvatar(db, tenantId, avatarId, { retrying: !ctx.final });
      return { outcome: "ready", manifestId: prepared.renderer_avatar_id, registered: prepared.registered };
    } catch (error) {
      if (error instanceof RigRejected) return { outcome: "rejected", reason: `${error.reason}: ${error.message}` };
      // Deleted, disabled or not an image any more: nothing is left to prepare.
      if (error instanceof AppError && (error.kind === "not_found" || error.kind === "conflict" || error.kind === "invalid_input")) return { outcome: "skipped", reason: error.message };
      throw error;
    }
  },
  failed: (db, { tenantId, avatarId }, reason) => markPreparationFailed(db, tenantId, avatarId, reason),
};
