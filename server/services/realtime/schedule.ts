import "server-only";
import type { Db } from "@/server/db/client";
import { logger } from "@/server/logger";

const pending = new Set<Promise<void>>();

/**
 * Prepares a newly created image avatar in the background (status preprocessing → ready | failed
 * with failureReason). Returns at once and never throws. The engine (onnxruntime, the portrait
 * child process) is imported lazily so that code creating avatars does not load it.
 */
export function schedulePreparation(db: Db, tenantId: string, avatarId: string): void {
  const job: Promise<void> = import("./prepare")
    .then((m) => m.runBackgroundPreparation(db, tenantId, avatarId))
    .catch((err: unknown) => logger.error({ err, avatarId }, "could not schedule avatar preparation"))
    .finally(() => pending.delete(job));
  pending.add(job);
}

/**
 * Resolves once every preparation scheduled so far (and any they schedule) has finished. Whoever
 * closes a database that preparations write to waits for this first; the test databases do.
 */
export async function preparationsSettled(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}
