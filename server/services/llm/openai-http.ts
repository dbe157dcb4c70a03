import "server-only";
import { AppError } from "@/server/errors";

// HTTP plumbing shared by the OpenAI-compatible chat and speech providers: one POST with a time
// limit on the response headers and on every silence in the body, the caller's abort passed
// through unchanged, and HTTP failures mapped to `upstream_failed` with `retryable` set by status.

export type OpenAiEndpoint = {
  /** How messages name the third party: "The TTS provider", "The LLM". */
  label: string;
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  /** Env var names quoted in messages, so an operator knows what to fix. */
  vars: { baseUrl: string; apiKey: string; model: string; timeout: string };
};

export type OpenAiResponse = { status: number; contentType: string; body: AsyncGenerator<Uint8Array, void, void> };

// 408 timeout, 409 conflict, 425 too early, 429 rate limit and 5xx are worth retrying; other 4xx
// mean the request or the configuration is wrong and will fail the same way again.
const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);

/** `${baseUrl}${path}` without doubled slashes; base URLs carry the version path (…/v1). */
export function endpointUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}

/** Where a message may say we sent the request: no credentials, no query. */
function safeWhere(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** POSTs JSON (or a FormData upload) and returns the streamed body; throws AppError (or the caller's abort reason). */
export async function openAiPost(endpoint: OpenAiEndpoint, path: string, payload: unknown, signal?: AbortSignal): Promise<OpenAiResponse> {
  if (signal?.aborted) throw signal.reason;
  const url = endpointUrl(endpoint.baseUrl, path);
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("timeout"));
    }, endpoint.timeoutMs);
  };
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const release = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  };
  const failure = (error: unknown, phase: string): unknown => {
    if (signal?.aborted) return signal.reason;
    if (timedOut) {
      return new AppError("upstream_failed", `${endpoint.label} at ${safeWhere(url)} sent nothing for ${endpoint.timeoutMs} ms ${phase}; it may be overloaded (limit: ${endpoint.vars.timeout}).`, {
        retryable: true,
        cause: error,
      });
    }
    if (error instanceof AppError) return error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    return new AppError("upstream_failed", `${endpoint.label} at ${safeWhere(url)} could not be reached ${phase} (${why}); check ${endpoint.vars.baseUrl}.`, {
      retryable: true,
      cause: error,
    });
  };

  let response: Response;
  arm();
  try {
    // A FormData body (audio uploads) sets its own multipart content type with the boundary.
    const form = payload instanceof FormData;
    response = await fetch(url, {
      method: "POST",
      headers: { ...(form ? {} : { "content-type": "application/json" }), ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) },
      body: form ? payload : JSON.stringify(payload),
      signal: controller.signal,
      redirect: "error",
    });
  } catch (error) {
    release();
    throw failure(error, "before answering");
  }
  if (!response.ok) {
    let text = "";
    try {
      text = (await response.text()).slice(0, 4000);
    } catch {
      // The status alone is enough to report; a body cut off mid-way adds nothing.
    }
    release();
    throw httpFailure(endpoint, url, response.status, text);
  }

  async function* body(): AsyncGenerator<Uint8Array, void, void> {
    const reader = response.body?.getReader();
    if (!reader) return release();
    let done = false;
    try {
      for (;;) {
        arm();
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          throw failure(error, "while streaming");
        }
        // Only the wait for the server counts: a consumer pacing audio at real time may hold a chunk for long.
        clearTimeout(timer);
        if (result.done) {
          done = true;
          return;
        }
        yield result.value;
      }
    } finally {
      release();
      // A consumer that stops early must not leave the connection open.
      if (!done) await reader.cancel().catch(() => undefined);
    }
  }

  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: body() };
}

/** The message a third party put in its error body (OpenAI: `{error: {message, code}}`). */
export function upstreamErrorDetail(text: string): { message: string; code?: string } {
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown };
    const err = json.error;
    if (err && typeof err === "object") {
      const e = err as { message?: unknown; code?: unknown; type?: unknown };
      const code = typeof e.code === "string" ? e.code : typeof e.type === "string" ? e.type : undefined;
      if (typeof e.message === "string") return { message: e.message.slice(0, 300), code };
    }
    if (typeof err === "string") return { message: err.slice(0, 300) };
    if (typeof json.message === "string") return { message: json.message.slice(0, 300) };
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return { message: text.replace(/\s+/g, " ").trim().slice(0, 300) || "no message" };
}

function httpFailure(endpoint: OpenAiEndpoint, url: string, status: number, text: string): AppError {
  const { message, code } = upstreamErrorDetail(text);
  const where = safeWhere(url);
  const said = `${endpoint.label} answered HTTP ${status} at ${where}: ${message}`;
  if (status === 401 || status === 403) {
    return new AppError("upstream_failed", `${said}. Check ${endpoint.vars.apiKey}.`, { retryable: false });
  }
  if (status === 404) {
    return new AppError("upstream_failed", `${said}. Check ${endpoint.vars.baseUrl} (it includes the version path, e.g. …/v1) and ${endpoint.vars.model}.`, { retryable: false });
  }
  if (status === 429) {
    // OpenAI answers 429 both for rate limits (wait and retry) and for an exhausted quota (retrying cannot help).
    const quota = code === "insufficient_quota";
    return new AppError("upstream_failed", `${said}.${quota ? " The account's quota is exhausted." : " Rate limited; retry shortly."}`, { retryable: !quota });
  }
  return new AppError("upstream_failed", `${said}.`, { retryable: status >= 500 || RETRYABLE_STATUS.has(status) });
}
