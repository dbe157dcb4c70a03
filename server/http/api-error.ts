import "server-only";
import { ZodError } from "zod";
import { AppError, BILLING_URL } from "../errors";
import { BodyTooLarge } from "../services/request-body";

// The public error contract: {error, status, code, retryable, billingUrl?}. Every error answer of
// /api/v1 and of the dashboard's and demo's route handlers is built here from the one AppError, so
// the shape cannot drift between routes.

export { BILLING_URL };

export type ApiErrorBody = { error: string; status: number; code: string; retryable: boolean; billingUrl?: string };

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[") || "body";
}

/** Names the offending field(s) of a zod failure: `scopes[0]: Invalid option …`, unknown keys listed. */
export function describeZodError(error: ZodError): string {
  const first = error.issues[0];
  if (!first) return "Request failed validation.";
  if (first.code === "unrecognized_keys") {
    const where = first.path.length ? ` in ${fieldPath(first.path)}` : "";
    return `Unknown field${first.keys.length > 1 ? "s" : ""}${where}: ${first.keys.join(", ")}. Remove ${first.keys.length > 1 ? "them" : "it"}; see /docs for the accepted fields.`;
  }
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""})` : "";
  return `${fieldPath(first.path)}: ${first.message}${more}`;
}

/** Maps anything thrown by a handler to the contract body; unknown errors become a 500 without internals. */
export function toApiErrorBody(error: unknown): { body: ApiErrorBody; headers: Record<string, string>; unexpected: boolean } {
  if (error instanceof AppError) {
    const field = error.details.field;
    const message = field && !error.message.includes(field) ? `${field}: ${error.message}` : error.message;
    return { body: withBilling({ error: message, status: error.status, code: error.code, retryable: error.retryable }), headers: headersOf(error), unexpected: false };
  }
  if (error instanceof ZodError) {
    return { body: { error: describeZodError(error), status: 422, code: "invalid_input", retryable: false }, headers: {}, unexpected: false };
  }
  return {
    body: { error: "Internal error; it has been logged with the request id. Retry later or contact support with X-Request-Id.", status: 500, code: "internal_error", retryable: true },
    headers: {},
    unexpected: true,
  };
}

function headersOf(error: AppError): Record<string, string> {
  const headers: Record<string, string> = error instanceof BodyTooLarge ? { ...error.headers } : {};
  if (error.details.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.details.retryAfterSeconds);
  return headers;
}

function withBilling(body: ApiErrorBody): ApiErrorBody {
  return body.status === 402 ? { ...body, billingUrl: BILLING_URL } : body;
}

export const UNAUTHORIZED_MESSAGE =
  "Missing or invalid API key. Send `Authorization: Bearer tic_live_…` or `tic_test_…` with an active key from /platform/api-keys.";
