import "server-only";
import type { Db } from "../../db/client";
import { logger } from "../../logger";
import { enqueueDelivery, type DeliveryRow, type DeliverySettings } from "./deliveries";
import { deliverySettings, ensureWebhookDrainer, kickWebhookDrainer } from "./drainer";
import { loadEndedSession, sessionEndedBody } from "./session-ended-event";

/**
 * Queues the `session.ended` webhook (the session and its transcript) for the session's workspace and
 * starts its first attempt; null when the workspace has no webhook URL. Called once a session's row
 * is ended and its transcript written; calling it again for the same session sends nothing twice.
 * Never throws: a webhook problem must not fail the end of a session.
 */
export async function notifySessionEnded(db: Db, sessionId: string, settings: DeliverySettings = deliverySettings()): Promise<DeliveryRow | null> {
  try {
    const loaded = await loadEndedSession(db, sessionId);
    if (!loaded) return null;
    const row = await enqueueDelivery(db, { tenantId: loaded.session.tenantId, event: "session.ended", subjectId: sessionId, body: sessionEndedBody(loaded.session, loaded.messages), maxAttempts: settings.maxAttempts });
    if (row) {
      ensureWebhookDrainer(db, undefined, settings);
      void kickWebhookDrainer(db, settings);
    }
    return row;
  } catch (err) {
    logger.error({ err, sessionId }, "could not queue the session.ended webhook");
    return null;
  }
}
