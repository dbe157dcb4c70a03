// @ts-check
// The first check every request meets, before Next.js parses it (server/http/next-server.mjs). Two kinds
// of request break Next.js itself rather than reaching a route: a method it cannot represent (undici's
// Request constructor throws on TRACE; Next answers 500 and logs the stack), and a path whose
// percent-encoding does not decode (`/api/v1/avatars/%ff`: Next's param decoding throws, and so does its
// error page, leaving a bare 500 text/plain). Both are the client's mistake: 405 and 400 here, in the REST
// error contract's JSON under /api/ and as plain text elsewhere. Plain JavaScript with no imports of ours,
// because it runs beside Next.js, outside its bundles.
import { randomBytes } from "node:crypto";

/** Methods some route serves; anything else is refused for every path. */
export const SERVED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A request id like core/ids/new-id's `req_…`. */
function newRequestId() {
  const bytes = randomBytes(20);
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 31];
  return `req_${out}`;
}

/** @param {string} path */
function decodesCleanly(path) {
  try {
    // A NUL in a path can only be an attack on whatever stores or opens it.
    return !decodeURIComponent(path).includes("\u0000");
  } catch {
    return false;
  }
}

/**
 * Why a request must not reach Next.js, or null.
 * @param {string | undefined} method
 * @param {string | undefined} url the raw request target
 * @returns {{ status: 400 | 405; code: string; error: string } | null}
 */
export function refusal(method, url) {
  if (!method || !SERVED_METHODS.includes(method)) {
    return { status: 405, code: "method_not_allowed", error: `The ${method} method is not served here; use one of ${SERVED_METHODS.join(", ")}.` };
  }
  const path = (url ?? "/").split(/[?#]/, 1)[0] ?? "/";
  if (!decodesCleanly(path)) {
    return { status: 400, code: "invalid_path", error: "The path is not valid percent-encoded UTF-8 (or encodes a NUL); percent-encode each byte of a path segment as %XX." };
  }
  return null;
}

/**
 * Answers a refused request and returns true; returns false for a request Next.js should handle.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {(line: Record<string, unknown>) => void} [log]
 */
export function gate(req, res, log) {
  const refused = refusal(req.method, req.url);
  if (!refused) return false;
  const incoming = req.headers["x-request-id"];
  const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : newRequestId();
  const api = /^\/api(\/|$|\?)/.test(req.url ?? "");
  const body = api ? JSON.stringify({ error: refused.error, status: refused.status, code: refused.code, retryable: false }) : `${refused.error}\n`;
  res.writeHead(refused.status, {
    "Content-Type": api ? "application/json" : "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "X-Request-Id": requestId,
    "Cache-Control": "no-store",
    // The body of a refused request is never read; closing spares reading it to keep the connection.
    Connection: "close",
    ...(refused.status === 405 ? { Allow: SERVED_METHODS.join(", ") } : {}),
  });
  res.end(req.method === "HEAD" ? undefined : body);
  log?.({ requestId, method: req.method, path: (req.url ?? "").split("?", 1)[0]?.slice(0, 200), status: refused.status, code: refused.code });
  return true;
}
