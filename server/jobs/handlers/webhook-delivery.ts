import "server-only";
import { AppError } from "@/server/errors";
import { attemptDeliveryById, deliveryRow, deliverySettings, markDeliveryFailed, scheduleAttempt, type DeliverySettings } from "@/server/services/webhooks/deliveries";
import { JobFailedForGood, type JobHandler } from "../worker";

/**
 * One attempt of a webhook delivery. The row decides: a 2xx completes the job; a failure with
 * attempts left queues the next attempt as a new job at next_attempt_at (the webhook's own backoff)
 * and completes this one; the last failed attempt fails the job for good, so it is listed by
 * `tic-avatar admin jobs --state failed`. Idempotent: the row's claim lets one attempt send at a
 * time, and a finished row is never sent again. `settings` replaces the environment's (tests: an
 * address policy that admits a local receiver).
 */
export function webhookDeliveryJob(settings: () => DeliverySettings = deliverySettings): JobHandler<"webhook-delivery"> {
  return {
    async run(db, { tenantId, deliveryId }) {
      const row = await attemptDeliveryById(db, tenantId, deliveryId, settings());
      if (row?.status === "succeeded") return { outcome: "delivered", attempts: row.attempts, responseStatus: row.responseStatus };
      if (row?.status === "pending") {
        await scheduleAttempt(db, row);
        return { outcome: "retry_scheduled", attempts: row.attempts, error: row.lastError, nextAttemptAt: row.nextAttemptAt.toISOString() };
      }
      if (row?.status === "failed") throw new JobFailedForGood(`webhook delivery failed after ${row.attempts} attempt(s): ${row.lastError ?? "no answer"}`);
      // Nothing was attempted: say why.
      const current = await deliveryRow(db, tenantId, deliveryId);
      if (!current) return { outcome: "gone" };
      // Held by an attempt whose lock has not lapsed (its worker may have died): retried after the lock.
      if (current.status === "delivering") throw new AppError("conflict", "another attempt holds this delivery; retrying once its lock lapses", { kind: "unavailable" });
      // Not due yet (this job ran early, or a retry of one that already queued the next attempt): queue (or join) that attempt.
      if (current.status === "pending") {
        await scheduleAttempt(db, current);
        return { outcome: "not_due", nextAttemptAt: current.nextAttemptAt.toISOString() };
      }
      return { outcome: "already_finished", status: current.status };
    },
    // Retries spent without a recorded last attempt (its worker died every time): the row says failed too.
    // Only the attempt this job was for: a Redeliver since then has its own job.
    failed: (db, { tenantId, deliveryId, attempt, dueAt }, reason) => markDeliveryFailed(db, tenantId, deliveryId, `the delivery's job failed: ${reason}`, { attempt, dueAt }),
  };
}
