import "server-only";
import { Readable } from "node:stream";
import busboy from "busboy";
import type { MediaKind } from "@/core/media/sniff";
import type { Db } from "../../db/client";
import { AssetRejected } from "./asset-error";
import { storeReceived, type AssetDeps, type AssetRow } from "./assets";
import { largestCap } from "./config";
import { receiveToTempFile, tooLarge, type Received } from "./receive";

const KINDS = new Set<MediaKind>(["image", "video", "audio"]);
// Room for the multipart boundaries, part headers and the small `kind` field around the file.
const ENVELOPE_BYTES = 64 * 1024;

/** Refuses a body whose declared Content-Length already passes the largest cap, before reading a byte. */
export function checkDeclaredLength(headers: Headers, deps: Pick<AssetDeps, "limits">): void {
  const declared = Number(headers.get("content-length"));
  const cap = largestCap(deps.limits);
  if (Number.isFinite(declared) && declared > cap + ENVELOPE_BYTES) throw tooLarge("upload", cap);
}

function parseKind(value: string | undefined): MediaKind | undefined {
  if (value === undefined || value === "") return undefined;
  if (!KINDS.has(value as MediaKind)) throw new AssetRejected("invalid_multipart", `kind must be one of image, video, audio (got '${value.slice(0, 20)}').`, "kind");
  return value as MediaKind;
}

/**
 * Reads a multipart/form-data upload (`file`, optional `kind`) as a stream: the file goes straight to a temp
 * file (sniffed, hashed, capped per kind), so a huge body is cut off at its cap and never held in memory.
 */
export async function ingestMultipart(db: Db, tenantId: string, req: Request, deps: AssetDeps): Promise<AssetRow> {
  checkDeclaredLength(req.headers, deps);
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !req.body) {
    throw new AssetRejected("invalid_multipart", "body must be multipart/form-data with the upload in a `file` field.");
  }
  const cap = largestCap(deps.limits);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fields: 8, parts: 12, fieldSize: 1024, headerPairs: 32, fileSize: cap + 1 },
    });
  } catch (error) {
    throw new AssetRejected("invalid_multipart", `body is not valid multipart/form-data (${(error as Error).message}).`, "file", error);
  }
  const body = Readable.fromWeb(req.body as import("node:stream/web").ReadableStream<Uint8Array>);
  const fields: Record<string, string> = {};
  let received: Promise<Received> | undefined;
  let filename: string | undefined;
  let fileStream: Readable | undefined;

  const done = new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      body.unpipe(parser);
      body.destroy();
      // Without this the file reader would wait forever for bytes that will never come.
      fileStream?.destroy(error instanceof Error ? error : new Error(String(error)));
      reject(error);
    };
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) return fail(new AssetRejected("invalid_multipart", `${name} is too long.`, name));
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
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
    body.on("error", (error) => fail(new AssetRejected("invalid_multipart", "the upload was interrupted before it finished.", "file", error)));
    body.pipe(parser);
  });

  try {
    await done;
  } catch (error) {
    // The file may be half written; wait for its writer to clean up before answering.
    await received?.catch(() => undefined);
    throw error;
  }
  if (!received) throw new AssetRejected("invalid_multipart", "file is missing: send the upload in a multipart field named `file`.");
  const file = await received;
  const kind = parseKind(fields.kind);
  return storeReceived(db, tenantId, file, { expectedKind: () => kind, originalFilename: filename }, deps);
}
