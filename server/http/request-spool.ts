import "server-only";
import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";

// An Idempotency-Key request must be fingerprinted before its handler runs, so its body is read
// first. Small bodies stay in memory; large ones (uploads) are spooled to a temp file while hashed
// and replayed to the handler from disk, so memory stays bounded whatever the size. The body read
// here is already limited to its route's cap (apiRoute's limitedRequest, server/http/request-body.ts):
// past it, reading fails with BodyTooLarge and the temp file is removed, so the disk holds at most
// one route cap per request.

const IN_MEMORY_MAX = 1024 * 1024;

/**
 * Feeds bytes to a hash with every occurrence of `pattern` removed (exactly like
 * `split(pattern).join("")` over the whole body), across chunk boundaries.
 */
export class PatternStrippingHash {
  private tail = Buffer.alloc(0);
  constructor(
    private readonly hash: Hash,
    private readonly pattern: Buffer | null,
  ) {}

  update(chunk: Uint8Array) {
    if (!this.pattern || this.pattern.length === 0) {
      this.hash.update(chunk);
      return;
    }
    const buf = this.tail.length ? Buffer.concat([this.tail, chunk]) : Buffer.from(chunk);
    const len = this.pattern.length;
    // Bytes before `cut` can no longer start a match that is still incomplete.
    const cut = Math.max(0, buf.length - (len - 1));
    let from = 0;
    let at = buf.indexOf(this.pattern, 0);
    while (at !== -1 && at < cut) {
      this.hash.update(buf.subarray(from, at));
      from = at + len;
      at = buf.indexOf(this.pattern, from);
    }
    const keepFrom = Math.max(from, cut);
    this.hash.update(buf.subarray(from, keepFrom));
    this.tail = Buffer.from(buf.subarray(keepFrom));
  }

  digest(): string {
    this.hash.update(this.tail);
    this.tail = Buffer.alloc(0);
    return this.hash.digest("hex");
  }
}

export type SpooledRequest = { fingerprint: string; request: Request; cleanup: () => Promise<void> };

function multipartBoundary(contentType: string | null): Buffer | null {
  if (!contentType || !/^multipart\//i.test(contentType)) return null;
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  return boundary ? Buffer.from(boundary, "latin1") : null;
}

/**
 * Reads the body once: returns its fingerprint (method, path, body — a multipart boundary, random per
 * send, blanked out so a genuine retry of an upload matches) and an identical request for the handler.
 */
export async function spoolRequest(req: Request, method: string, path: string): Promise<SpooledRequest> {
  const hash = createHash("sha256").update(`${method} ${path}\n`);
  const stripping = new PatternStrippingHash(hash, multipartBoundary(req.headers.get("content-type")));
  const rebuild = (body: BodyInit | null) =>
    // @ts-expect-error -- undici needs duplex for a streamed request body; lib.dom lacks the field.
    new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal, duplex: body ? "half" : undefined });

  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (!req.body || (Number.isFinite(declared) && declared <= IN_MEMORY_MAX)) {
    const bytes = new Uint8Array(await req.arrayBuffer());
    stripping.update(bytes);
    return { fingerprint: stripping.digest(), request: rebuild(bytes.byteLength ? bytes : null), cleanup: async () => {} };
  }

  const dir = await mkdtemp(join(tmpdir(), "tic-idem-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const file = join(dir, "body");
  const out = createWriteStream(file);
  try {
    for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
      stripping.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    out.end();
    await finished(out);
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    return { fingerprint: stripping.digest(), request: rebuild(body), cleanup };
  } catch (error) {
    // Close the file before removing it: an open descriptor would outlive the refused request.
    if (!out.closed) {
      out.destroy();
      await once(out, "close").catch(() => undefined);
    }
    await cleanup();
    throw error;
  }
}
