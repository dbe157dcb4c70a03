import "server-only";
import type { Db } from "../../db/client";
import { logger } from "../../logger";
import { deliverySettings, enqueueDelivery, type DeliveryRow, type DeliverySettings } from "./deliveries";
import { loadEndedSession, sessionEndedBody } from "./session-ended-event";

/**
 * Queues the `session.ended` webhook (the session and its transcript) for the session's workspace and
 * its first attempt as a `webhook-delivery` job; null when the workspace has no webhook URL. Called once a session's row
 * is ended and its transcript written; calling it again for the same session sends nothing twice.
 * Never throws: a webhook problem must not fail the end of a session.
 */
export async function notifySessionEnded(db: Db, sessionId: string, settings: DeliverySettings = deliverySettings()): Promise<DeliveryRow | null> {
  try {
    const loaded = await loadEndedSession(db, sessionId);
    if (!loaded) return null;
    return await enqueueDelivery(db, { tenantId: loaded.session.tenantId, event: "session.ended", subjectId: sessionId, body: sessionEndedBody(loaded.session, loaded.messages), maxAttempts: settings.maxAttempts });
  } catch (err) {
    logger.error({ err, sessionId }, "could not queue the session.ended webhook");
    return null;
  }
}
