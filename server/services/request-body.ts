import "server-only";
import type { ZodType } from "zod";
import { AppError } from "../errors";

// Every request body is read through here, against its route's limit. A body is refused the moment
// it passes the limit (its Content-Length, when declared, before a byte is read), so an anonymous
// caller cannot make the server hold, or spool to disk, more than a route ever accepts.

export type BodyLimit = {
  maxBytes: number;
  /** 422 under /api/v1 (the contract has no 413) and for uploads; 413 elsewhere. */
  status: 413 | 422;
  /** The refusal's message: what is limited, to how much, what to do. */
  message: string;
};

/** A body over its route's limit (code payload_too_large). The connection is closed after the answer, so the rest is not received. */
export class BodyTooLarge extends AppError {
  override name = "BodyTooLarge";
  readonly headers = { Connection: "close" };
  constructor(limit: BodyLimit) {
    super("payload_too_large", limit.message, { kind: limit.status === 413 ? "too_large" : "invalid_input", retryable: false });
  }
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** A limit whose message names what is limited ("JSON bodies", "demo texts"). */
export function bodyLimit(maxBytes: number, status: BodyLimit["status"], what: string): BodyLimit {
  const size = maxBytes >= 1024 * 1024 ? mib(maxBytes) : `${Math.round(maxBytes / 1024)} KiB`;
  return { maxBytes, status, message: `body: ${what} are limited to ${size}; send a smaller body.` };
}

/** JSON bodies of the public API. */
export const API_JSON_LIMIT = bodyLimit(1024 * 1024, 422, "JSON bodies");

/** Refuses a body whose declared Content-Length already passes the limit, before a byte is read. */
export function checkDeclaredLength(headers: Headers, limit: BodyLimit): void {
  const declared = Number(headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit.maxBytes) throw new BodyTooLarge(limit);
}

/**
 * The body as a stream that fails with BodyTooLarge once more than `limit.maxBytes` came through,
 * and stops reading the source then. Pulled chunk by chunk: nothing is read ahead of its reader.
 */
export function limitedStream(source: ReadableStream<Uint8Array>, limit: BodyLimit): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await reader.read();
        if (next.done) return controller.close();
        total += next.value.byteLength;
        if (total > limit.maxBytes) {
          controller.error(new BodyTooLarge(limit));
          await reader.cancel("body over its limit").catch(() => undefined);
          return;
        }
        controller.enqueue(next.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The same request with its body limited (its Content-Length checked first); for callers that hand the body on. */
export function limitedRequest(req: Request, limit: BodyLimit): Request {
  checkDeclaredLength(req.headers, limit);
  if (!req.body) return req;
  // @ts-expect-error -- undici needs duplex for a streamed request body; lib.dom lacks the field.
  return new Request(req.url, { method: req.method, headers: req.headers, body: limitedStream(req.body, limit), signal: req.signal, duplex: "half" });
}

/** The same request with its body read into memory (at most `limit.maxBytes`): for libraries that read bodies whole themselves (tRPC, Auth.js). */
export async function bufferedRequest(req: Request, limit: BodyLimit): Promise<Request> {
  if (!req.body) return req;
  const body = await readBody(req, limit);
  return new Request(req.url, { method: req.method, headers: req.headers, body: body.byteLength ? body : null, signal: req.signal });
}

/** The whole body, at most `limit.maxBytes` of it, in memory. */
export async function readBody(req: Request, limit: BodyLimit): Promise<Uint8Array<ArrayBuffer>> {
  // The limited request's reader fails with BodyTooLarge as soon as the body passes the limit.
  return new Uint8Array(await limitedRequest(req, limit).arrayBuffer());
}

/** The body as text (UTF-8, as Request.text() decodes it), at most `limit.maxBytes` of it. */
export async function readText(req: Request, limit: BodyLimit): Promise<string> {
  return new TextDecoder().decode(await readBody(req, limit));
}

/** A JSON body (at most `limit.maxBytes`): 422 naming the problem when it is empty or not JSON. */
export async function readJson(req: Request, limit: BodyLimit): Promise<unknown> {
  const text = await readText(req, limit);
  if (text.trim() === "") throw new AppError("invalid_input", "body: a JSON object is required.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_input", `body: not valid JSON (${(error as Error).message}). Send Content-Type: application/json.`, { cause: error });
  }
}

/** A route's body, read once within its limit: JSON checked by a schema (415 unless sent as JSON), or the raw bytes. */
export type BodyReader = { json<T>(schema: ZodType<T>): Promise<T>; bytes(): Promise<Uint8Array<ArrayBuffer>> };

/** The body reader of a request under `limit`. */
export function bodyReader(req: Request, limit: BodyLimit): BodyReader {
  return {
    async json(schema) {
      if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) {
        throw new AppError("unsupported_media_type", "Send the request body as application/json.", { kind: "unsupported_media_type" });
      }
      return schema.parse(await readJson(req, limit));
    },
    bytes: () => readBody(req, limit),
  };
}
