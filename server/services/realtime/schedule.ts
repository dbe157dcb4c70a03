import "server-only";
import type { Db } from "@/server/db/client";
import { logger } from "@/server/logger";

/**
 * Prepares a newly created image avatar in the background (status preprocessing → ready | failed
 * with failureReason). Returns at once and never throws. The engine (onnxruntime, the portrait
 * child process) is imported lazily so that code creating avatars does not load it.
 */
export function schedulePreparation(db: Db, tenantId: string, avatarId: string): void {
  import("./prepare")
    .then((m) => m.runBackgroundPreparation(db, tenantId, avatarId))
    .catch((err: unknown) => logger.error({ err, avatarId }, "could not schedule avatar preparation"));
}
