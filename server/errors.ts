import "server-only";
import { CodedError } from "@/core/coded-error";

// The one error the server throws on purpose. Its `code` is the stable public code (clients switch
// on it); its `kind` is the class of failure, which each edge maps once: the REST contract's status
// (server/http/api-error.ts), the tRPC code (server/api/trpc.ts), a stream's `error` record
// (server/services/realtime/turn-records.ts). Nothing below the edges knows about HTTP.

/** Where a 402 sends the user (the `billingUrl` of REST errors and of live sessions' error events). */
export const BILLING_URL = "/platform/billing";

/** Classes of failure, each with the HTTP status the REST edge answers with. */
const KIND_STATUS = {
  invalid_input: 422,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream_failed: 502,
  unavailable: 503,
} as const;
export type ErrorKind = keyof typeof KIND_STATUS;

/** The common codes, each of which names its own kind (a specific code such as `audio_silent` gives its kind). */
const KIND_OF_CODE = {
  not_found: "not_found",
  conflict: "conflict",
  invalid_input: "invalid_input",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  tenant_suspended: "forbidden",
  insufficient_credits: "payment_required",
  spend_limit_exceeded: "payment_required",
  rate_limited: "rate_limited",
  upstream_failed: "upstream_failed",
  unavailable: "unavailable",
} as const satisfies Record<string, ErrorKind>;
export type AppErrorCode = keyof typeof KIND_OF_CODE;

// Waiting helps these; a caller's own mistake or a refusal does not.
const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set(["rate_limited", "unavailable"]);

export type AppErrorDetails = {
  /** The offending input field, when there is one. */
  field?: string;
  /** Whether the same request may succeed later; by default only rate limits and unavailability are. */
  retryable?: boolean;
  /** When a retry may succeed (rate limits, busy places). */
  retryAfterSeconds?: number;
  cause?: unknown;
};

/** An expected failure: a stable public `code`, its `kind`, an actionable message and the cause. */
export class AppError extends CodedError<string> {
  override name = "AppError";
  readonly kind: ErrorKind;
  /** The HTTP status of its kind (what the REST edge answers). */
  readonly status: number;
  readonly retryable: boolean;

  constructor(code: AppErrorCode, message: string, details?: AppErrorDetails & { kind?: ErrorKind });
  constructor(code: string, message: string, details: AppErrorDetails & { kind: ErrorKind });
  constructor(
    code: string,
    message: string,
    readonly details: AppErrorDetails & { kind?: ErrorKind } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.kind = details.kind ?? KIND_OF_CODE[code as AppErrorCode];
    this.status = KIND_STATUS[this.kind];
    this.retryable = details.retryable ?? RETRYABLE_KINDS.has(this.kind);
  }
}
