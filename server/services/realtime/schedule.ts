import "server-only";
import type { Db } from "@/server/db/client";
import { enqueue, jobsSettled } from "@/server/jobs";

/**
 * Queues the preparation of a newly created image avatar as a durable job: the worker that takes it
 * (this process's, or `tic-avatar worker`) marks it preprocessing, then ready | failed with
 * failureReason (server/jobs/handlers/prepare-avatar.ts).
 */
export async function schedulePreparation(db: Db, tenantId: string, avatarId: string): Promise<void> {
  await enqueue(db, "prepare-avatar", { tenantId, avatarId });
}

/**
 * Resolves once every job queued on `db` has finished, and stops this process's worker on it.
 * Whoever closes a database that preparations write to waits for this first; the test databases do.
 */
export function preparationsSettled(db: Db): Promise<void> {
  return jobsSettled(db);
}
