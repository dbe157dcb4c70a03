import "server-only";
import { ZodError } from "zod";
import { AppError } from "../errors";

// The public error contract: {error, status, code, retryable, billingUrl?}. Every non-2xx answer
// of /api/v1 is built here, so the shape cannot drift between routes.

export const BILLING_URL = "/platform/billing";

export type ApiErrorBody = { error: string; status: number; code: string; retryable: boolean; billingUrl?: string };

/** An error that only exists at the HTTP edge (idempotency, engine placeholders); services throw AppError. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable = false,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const RETRYABLE_BY_DEFAULT = new Set(["rate_limited", "unavailable"]);

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
  if (error instanceof ApiError) {
    return { body: withBilling({ error: error.message, status: error.status, code: error.code, retryable: error.retryable }), headers: error.headers, unexpected: false };
  }
  if (error instanceof AppError) {
    const retryable = error.details.retryable ?? RETRYABLE_BY_DEFAULT.has(error.code);
    const message = error.details.field && !error.message.includes(error.details.field) ? `${error.details.field}: ${error.message}` : error.message;
    return { body: withBilling({ error: message, status: error.status, code: error.code, retryable }), headers: {}, unexpected: false };
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

function withBilling(body: ApiErrorBody): ApiErrorBody {
  return body.status === 402 ? { ...body, billingUrl: BILLING_URL } : body;
}

export const UNAUTHORIZED_MESSAGE =
  "Missing or invalid API key. Send `Authorization: Bearer tic_live_…` or `tic_test_…` with an active key from /platform/api-keys.";
