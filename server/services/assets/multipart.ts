import "server-only";
import { rm } from "node:fs/promises";
import { Readable } from "node:stream";
import busboy from "busboy";
import type { MediaKind } from "@/core/media/sniff";
import type { Db } from "../../db/client";
import { BodyTooLarge, checkDeclaredLength as checkBodyLength, limitedStream, type BodyLimit } from "../request-body";
import { AssetRejected } from "./asset-error";
import { storeReceived, type AssetDeps, type AssetRow } from "./assets";
import { largestCap, type AssetLimits } from "./config";
import { receiveToTempFile, tooLarge, type Received } from "./receive";

const KINDS = new Set<MediaKind>(["image", "video", "audio"]);
// Room for the multipart boundaries, part headers and the small `kind` field around the file.
const ENVELOPE_BYTES = 64 * 1024;

/** The largest multipart body an upload may be: the largest asset cap plus the form around it. */
export function uploadBodyLimit(limits: AssetLimits): BodyLimit {
  const cap = largestCap(limits);
  return { maxBytes: cap + ENVELOPE_BYTES, status: 422, message: tooLarge("upload", cap).message };
}

/** Refuses a body whose declared Content-Length already passes the largest cap, before reading a byte. */
export function checkDeclaredLength(headers: Headers, deps: Pick<AssetDeps, "limits">): void {
  checkBodyLength(headers, uploadBodyLimit(deps.limits));
}

function parseKind(value: string | undefined): MediaKind | undefined {
  if (value === undefined || value === "") return undefined;
  if (!KINDS.has(value as MediaKind)) throw new AssetRejected("invalid_multipart", `kind must be one of image, video, audio (got '${value.slice(0, 20)}').`, "kind");
  return value as MediaKind;
}

/**
 * Reads a multipart/form-data upload (`file`, optional `kind`) as a stream: the file goes straight to a temp
 * file (sniffed, hashed, capped per kind), so a huge body is cut off at its cap and never held in memory.
 * Whatever happens (a bad form before or after the file, a refused file, a client that leaves), the
 * answer comes as soon as the problem is known and no temp file outlives the request.
 */
export async function ingestMultipart(db: Db, tenantId: string, req: Request, deps: AssetDeps): Promise<AssetRow> {
  const limit = uploadBodyLimit(deps.limits);
  checkBodyLength(req.headers, limit);
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !req.body) {
    throw new AssetRejected("invalid_multipart", "body must be multipart/form-data with the upload in a `file` field.");
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fields: 8, parts: 12, fieldSize: 1024, headerPairs: 32, fileSize: largestCap(deps.limits) + 1 },
    });
  } catch (error) {
    throw new AssetRejected("invalid_multipart", `body is not valid multipart/form-data (${(error as Error).message}).`, "file", error);
  }
  const body = Readable.fromWeb(limitedStream(req.body, limit) as import("node:stream/web").ReadableStream<Uint8Array>);
  const fields: Record<string, string> = {};
  let received: Promise<Received> | undefined;
  let filename: string | undefined;
  let fileStream: Readable | undefined;
  let failure: unknown;

  const done = new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (failure !== undefined) return;
      failure = error;
      body.unpipe(parser);
      body.destroy();
      // Without this the file reader would wait forever for bytes that will never come.
      fileStream?.destroy(error instanceof Error ? error : new Error(String(error)));
      reject(error);
    };
    parser.on("field", (name, value, info) => {
      if (failure !== undefined) return;
      if (info.valueTruncated) return fail(new AssetRejected("invalid_multipart", `${name} is too long.`, name));
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      // busboy parses a whole chunk at once: a file part may follow the part that failed the form.
      // Its bytes are drained, never written: nothing would ever finish that temp file.
      if (failure !== undefined) return stream.resume();
      if (name !== "file" || received) {
        stream.resume();
        return fail(new AssetRejected("invalid_multipart", `unexpected file field '${name}'; send exactly one file, in the \`file\` field.`, name));
      }
      filename = info.filename;
      fileStream = stream;
      received = receiveToTempFile(stream, { limits: deps.limits, tmpDir: deps.tmpDir, expectedKind: () => parseKind(fields.kind) });
      received.catch(fail);
    });
    parser.on("filesLimit", () => fail(new AssetRejected("invalid_multipart", "send exactly one file, in the `file` field.")));
    parser.on("partsLimit", () => fail(new AssetRejected("invalid_multipart", "too many form parts; send `file` and optionally `kind`.")));
    parser.on("fieldsLimit", () => fail(new AssetRejected("invalid_multipart", "too many form fields; send `file` and optionally `kind`.")));
    parser.on("error", (error) => fail(new AssetRejected("invalid_multipart", `body is not valid multipart/form-data (${(error as Error).message}).`, "file", error)));
    parser.on("close", () => resolve());
    body.on("error", (error) => fail(error instanceof BodyTooLarge ? error : new AssetRejected("invalid_multipart", "the upload was interrupted before it finished.", "file", error)));
    body.pipe(parser);
  });

  let file: Received | undefined;
  try {
    await done;
    if (!received) throw new AssetRejected("invalid_multipart", "file is missing: send the upload in a multipart field named `file`.");
    file = await received;
    const kind = parseKind(fields.kind);
    return await storeReceived(db, tenantId, file, { expectedKind: () => kind, originalFilename: filename }, deps);
  } finally {
    // A file received in full before the form failed (or its `kind` did) is still on disk; one
    // still being written fails now (its stream was destroyed) and removes itself.
    file ??= await received?.catch(() => undefined);
    if (file) await rm(file.path, { force: true });
  }
}
