import "server-only";
import type { Db } from "../../db/client";
import { getEnv } from "../../env";
import { logger } from "../../logger";
import { processState } from "../../process-state";
import { drainDueDeliveries, type DeliverySettings } from "./deliveries";

// The process's webhook drainer: a timer that attempts due deliveries every WEBHOOK_POLL_MS, and a
// kick for a new event so its first attempt does not wait for the timer. The rows are the queue;
// moving this onto the jobs queue (server/jobs, job type `webhook-delivery` with {tenantId,
// deliveryId}) replaces the kick with an enqueue (startAfter = next_attempt_at for a retry) and the
// timer with the queue's worker calling attemptDeliveryById; the rows stay the delivery log.

const drainer = processState(
  "webhookDrainer",
  () => ({ timer: undefined as NodeJS.Timeout | undefined, running: null as Promise<unknown> | null, again: false }),
  async (s) => {
    clearInterval(s.timer);
    s.timer = undefined;
    await s.running?.catch(() => undefined);
    s.running = null;
    s.again = false;
  },
);

/** Delivery settings from the environment (public receivers only). */
export function deliverySettings(): DeliverySettings {
  const env = getEnv();
  return { maxAttempts: env.WEBHOOK_MAX_ATTEMPTS, retryBaseMs: env.WEBHOOK_RETRY_BASE_S * 1000, timeoutMs: env.WEBHOOK_TIMEOUT_MS };
}

/** Runs a drain pass now (one at a time per process; a kick during a pass runs one more after it). */
export function kickWebhookDrainer(db: Db, settings: DeliverySettings = deliverySettings()): Promise<unknown> {
  if (drainer.running) {
    drainer.again = true;
    return drainer.running;
  }
  drainer.running = (async () => {
    do {
      drainer.again = false;
      while ((await drainDueDeliveries(db, settings)) > 0) {
        // A full batch may leave more due rows: keep going until a pass finds none.
      }
    } while (drainer.again);
  })()
    .catch((err: unknown) => logger.error({ err }, "webhook drain pass failed"))
    .finally(() => (drainer.running = null));
  return drainer.running;
}

/** Starts the timer once per process (unref'd: it never keeps the process alive). */
export function ensureWebhookDrainer(db: Db, intervalMs = getEnv().WEBHOOK_POLL_MS, settings: DeliverySettings = deliverySettings()): void {
  if (drainer.timer) return;
  drainer.timer = setInterval(() => void kickWebhookDrainer(db, settings), intervalMs);
  drainer.timer.unref();
}
