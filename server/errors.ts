import "server-only";

/** Stable error codes of the service layer; the tRPC and REST edges map them to their transports. */
export type AppErrorCode =
  | "not_found"
  | "conflict"
  | "invalid_input"
  | "unauthorized"
  | "forbidden"
  | "tenant_suspended"
  | "insufficient_credits"
  | "spend_limit_exceeded"
  | "rate_limited"
  | "upstream_failed"
  | "unavailable";

const STATUS: Record<AppErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid_input: 422,
  unauthorized: 401,
  forbidden: 403,
  tenant_suspended: 403,
  insufficient_credits: 402,
  spend_limit_exceeded: 402,
  rate_limited: 429,
  upstream_failed: 502,
  unavailable: 503,
};

/** An expected failure with an actionable message; `field` names the offending input when there is one. */
export class AppError extends Error {
  override name = "AppError";
  readonly status: number;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { field?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.status = STATUS[code];
  }
}
