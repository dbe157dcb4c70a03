import "server-only";
import type { Logger } from "pino";
import { newId } from "@/core/ids/new-id";
import { requestLogger } from "../logger";
import { toApiErrorBody } from "./api-error";
import { logUnexpected } from "./client-abort";

// What every route wrapper (apiRoute, dashboardRoute, demoRoute) does the same way: the request id,
// the error answer in the contract's shape, and the one log line per request.

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: a valid incoming X-Request-Id is kept, else a new one. */
export function requestIdOf(req: Request): string {
  const incoming = req.headers.get("x-request-id");
  return incoming && REQUEST_ID.test(incoming) ? incoming : newId("req");
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

// Answers to clients that had already gone: they still read as 500 to their callers (idempotency
// releases the key for the retry), but the request line logs 499, nginx's "client closed request".
const clientGone = new WeakSet<Response>();

/** The contract's error answer for anything thrown; an unexpected one is logged (at info when the client had left). */
export function errorAnswer(error: unknown, log: Logger, req: Request, headers: Record<string, string> = {}): Response {
  const mapped = toApiErrorBody(error);
  const response = json(mapped.body.status, mapped.body, { ...mapped.headers, ...headers });
  if (mapped.unexpected && logUnexpected(log, error, req.signal, "unhandled error in API handler") === "client_gone") clientGone.add(response);
  return response;
}

/** `response` with `headers` set (copied into a new Response when its headers are immutable). */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  try {
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  } catch {
    // Immutable headers (e.g. a fetched Response passed through): copy into a new Response.
    const copy = new Response(response.body, response);
    for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
    return copy;
  }
}

/** The one line logged per request: its route, status (499 when the client had gone), duration and who asked. */
export function logRequest(log: Logger, req: Request, response: Response, fields: { started: number; [key: string]: unknown }, message: string): void {
  const { started, ...rest } = fields;
  const status = clientGone.has(response) ? 499 : response.status;
  log.info({ method: req.method, path: new URL(req.url).pathname, ...rest, status, ms: Math.round((performance.now() - started) * 10) / 10 }, message);
}

/** What a wrapper's handler learns of its request, and fields it adds to the request's log line. */
export type Served = { requestId: string; log: Logger; logged: Record<string, unknown> };

/**
 * One request of a cookie or public route wrapper: `run` answers it; anything it throws is answered
 * in the contract's shape (never cached); the answer carries X-Request-Id; one line is logged.
 */
export async function serveRequest(req: Request, message: string, run: (served: Served) => Promise<Response>): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(req);
  const served: Served = { requestId, log: requestLogger(requestId), logged: {} };
  let response: Response;
  try {
    response = await run(served);
  } catch (error) {
    response = errorAnswer(error, served.log, req, { "Cache-Control": "no-store" });
  }
  response = withHeaders(response, { "X-Request-Id": requestId });
  logRequest(served.log, req, response, { started, ...served.logged }, message);
  return response;
}
