import "server-only";
import { Readable } from "node:stream";
import type { Db } from "../../db/client";
import type { ObjectStorage } from "../storage/storage";
import { findAssetByToken } from "./assets";

// Headers that keep a stored file inert whatever its bytes: the sniffed type only, no browser sniffing,
// and a sandboxing CSP so even a file opened as a page can run nothing.
const INERT = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Cross-Origin-Resource-Policy": "cross-origin",
  "Access-Control-Allow-Origin": "*",
  "Referrer-Policy": "no-referrer",
};

const SINGLE_BYTE_RANGE = /^bytes[ \t]*=[ \t]*(\d*)-(\d*)[ \t]*$/i;

/**
 * The byte range a `Range` header asks for, against a file of `size` bytes: null when there is none or
 * it is a form we do not serve (other units, several ranges, bad syntax), which RFC 9110 lets a server
 * ignore by sending the whole file; "unsatisfiable" only for one well-formed byte range outside the file.
 */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | "unsatisfiable" {
  if (!header) return null;
  const match = SINGLE_BYTE_RANGE.exec(header.trim());
  if (!match) return null;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Math.min(Number(last), size);
    return suffix === 0 ? "unsatisfiable" : { start: size - suffix, end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return null; // last-pos before first-pos: invalid syntax, ignored
  if (start >= size) return "unsatisfiable";
  return { start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}

/** Answers GET/HEAD /files/{token}: the asset's bytes with its sniffed Content-Type, ranges supported. */
export async function serveAssetFile(db: Db, storage: ObjectStorage, token: string, req: Request): Promise<Response> {
  const row = await findAssetByToken(db, token);
  if (!row) return notFoundAnswer();
  return serveStoredFile(storage, { storageKey: row.storageKey, sizeBytes: row.sizeBytes, contentType: row.contentType, etag: `"${row.sha256 ?? row.id}"` }, req);
}

/** The inert 404 of a public file URL. */
export function notFoundAnswer(): Response {
  return new Response("Not found", { status: 404, headers: { ...INERT, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export type StoredFile = { storageKey: string; sizeBytes: number; contentType: string; etag: string; disposition?: string };

/** A stored object as an inert public file: ETag, single byte ranges (206/416), HEAD. */
export async function serveStoredFile(storage: ObjectStorage, file: StoredFile, req: Request): Promise<Response> {
  const headers: Record<string, string> = {
    ...INERT,
    "Content-Type": file.contentType,
    "Cache-Control": "public, max-age=31536000, immutable",
    ETag: file.etag,
    "Accept-Ranges": "bytes",
    "Content-Disposition": file.disposition ?? "inline",
  };
  if (req.headers.get("if-none-match") === file.etag) return new Response(null, { status: 304, headers });
  const range = parseRange(req.headers.get("range"), file.sizeBytes);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${file.sizeBytes}` } });
  const length = range ? range.end - range.start + 1 : file.sizeBytes;
  headers["Content-Length"] = String(length);
  if (range) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${file.sizeBytes}`;
  const status = range ? 206 : 200;
  if (req.method === "HEAD") return new Response(null, { status, headers });
  const stream = await storage.get(file.storageKey, range ?? undefined);
  if (!stream) return new Response("Gone", { status: 410, headers: { ...INERT, "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
}
