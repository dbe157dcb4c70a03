import "server-only";
import { CodedError } from "@/core/coded-error";
import type { ServerEvent } from "@/core/realtime/session-events";
import { TurnStopped } from "@/core/turn/turn-records";
import { AppError, BILLING_URL } from "@/server/errors";

/** A failure as the socket's `error` event: AppError's code (402 kinds with billingUrl), else internal_error. */
export function errorEvent(error: unknown, eventId?: string): Extract<ServerEvent, { type: "error" }> {
  const id = eventId ? { event_id: eventId } : {};
  if (error instanceof AppError) {
    return { type: "error", error: { code: error.code, message: error.message, retryable: error.retryable, ...id, ...(error.kind === "payment_required" ? { billingUrl: BILLING_URL } : {}) } };
  }
  if (error instanceof TurnStopped) return { type: "error", error: { code: error.stop.code, message: error.stop.message, retryable: error.stop.retryable, ...id } };
  if (error instanceof CodedError) return { type: "error", error: { code: error.code, message: error.message, retryable: false, ...id } };
  return { type: "error", error: { code: "internal_error", message: "The session failed on the server; it has been logged.", retryable: true, ...id } };
}

/** An error event of the loop's own (a misuse the client can fix). */
export function clientError(code: string, message: string, eventId?: string): Extract<ServerEvent, { type: "error" }> {
  return { type: "error", error: { code, message, retryable: false, ...(eventId ? { event_id: eventId } : {}) } };
}
