import type { ApiErrorBody } from "./types";

/** Codes the SDK itself raises (the API's own codes arrive in TicApiError.code). */
export type SdkErrorCode = "browser_secret_key" | "missing_api_key" | "invalid_base_url" | "bad_response" | "network_error" | "invalid_signature";

/** A misuse or transport failure detected by the SDK before or after talking to the API. */
export class TicSdkError extends Error {
  override readonly name = "TicSdkError";
  constructor(
    readonly code: SdkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A non-2xx answer of the API, with the contract's error body. */
export class TicApiError extends Error {
  override readonly name = "TicApiError";
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
  readonly billingUrl: string | undefined;
  /** The answer's Retry-After (429, busy), in seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ApiErrorBody, retryAfterSeconds?: number) {
    super(body.error);
    this.status = status;
    this.code = body.code ?? `http_${status}`;
    this.retryable = body.retryable ?? (status === 429 || status >= 500);
    this.billingUrl = body.billingUrl;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Build a TicApiError from a failed fetch Response, tolerating non-JSON bodies (proxies, HTML). */
export async function apiErrorFrom(res: Response): Promise<TicApiError> {
  const text = await res.text().catch(() => "");
  let body: ApiErrorBody = { error: `HTTP ${res.status} ${res.statusText}`.trim() };
  try {
    const parsed = JSON.parse(text) as Partial<ApiErrorBody>;
    if (parsed && typeof parsed.error === "string") body = parsed as ApiErrorBody;
  } catch {
    if (text) body = { error: `${body.error}: ${text.slice(0, 200)}` };
  }
  const retryAfter = Number(res.headers.get("retry-after") ?? "");
  return new TicApiError(res.status, body, Number.isInteger(retryAfter) && retryAfter >= 0 ? retryAfter : undefined);
}
