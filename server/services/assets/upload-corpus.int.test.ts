// The upload corpus: hostile and broken files through the real POST /api/v1/assets handler on PostgreSQL.
// Every refusal must be a contract-valid 422 with a specific code and a message naming the field.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { mintKey, seedTenant } from "../../http/testing/test-api";
import { useTestWorld } from "../../testing/test-world";
import { contractSchemas } from "./testing/contract-schemas";
import { avMedia, images, pixelBombPng, pngChunk, tinyZip, withJpegComment, withPngChunkAfterIhdr } from "./testing/media-fixtures";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const world = useTestWorld("upload-corpus");
let key: string;
let POST: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
let GET_FILE: (req: Request, ctx: { params: Promise<{ token: string }> }) => Promise<Response>;
let img: Awaited<ReturnType<typeof images>>;
const av = avMedia();
const check = contractSchemas();

beforeAll(async () => {
  const tenant = await seedTenant(world.db, { plan: "enterprise" });
  key = (await mintKey(world.db, tenant.id, { scopes: ["avatars:write", "avatars:read"] })).apiKey;
  ({ POST } = await import("@/app/api/v1/assets/route"));
  ({ GET: GET_FILE } = await import("@/app/files/[token]/route"));
  img = await images();
});
type Part = { data: Buffer | Uint8Array; name?: string; type?: string };
function form(file: Part | null, fields: Record<string, string> = {}) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (file) f.set("file", new Blob([new Uint8Array(file.data)], { type: file.type ?? "application/octet-stream" }), file.name ?? "upload.bin");
  return f;
}

async function upload(body: BodyInit, headers: Record<string, string> = {}) {
  const req = new Request("http://localhost/api/v1/assets", { method: "POST", headers: { authorization: `Bearer ${key}`, ...headers }, body, duplex: "half" } as RequestInit);
  const res = await POST(req, { params: Promise.resolve({}) });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, json };
}

async function expectRefused(body: BodyInit, code: string, mentions: RegExp, headers?: Record<string, string>) {
  const { status, json } = await upload(body, headers);
  expect({ status, code: json.code }, JSON.stringify(json)).toEqual({ status: 422, code });
  expect(json.error).toMatch(mentions);
  expect(json).toMatchObject({ status: 422, retryable: false });
  expect(check("Error", json)).toEqual([]);
}

describe("upload corpus", () => {
  it("stores valid PNG, JPEG and WebP with sniffed types, sha256 and a working public URL", async () => {
    for (const [format, data, type] of [["png", img.png, "image/png"], ["jpeg", img.jpeg, "image/jpeg"], ["webp", img.webp, "image/webp"]] as const) {
      const { status, json } = await upload(form({ data, name: `portrait.${format}`, type }, { kind: "image" }));
      expect(status, JSON.stringify(json)).toBe(201);
      expect(check("Asset", json)).toEqual([]);
      expect(json).toMatchObject({ kind: "image", contentType: type, sizeBytes: data.length, status: "ready" });
      const { createHash } = await import("node:crypto");
      expect(json.sha256).toBe(createHash("sha256").update(data).digest("hex"));
      const url = new URL(String(json.publicUrl));
      const token = url.pathname.split("/").pop()!;
      const served = await GET_FILE(new Request(url), { params: Promise.resolve({ token }) });
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe(type);
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
    }
  });

  it("trusts bytes, not names: a PNG called photo.jpg sent as image/jpeg is stored as image/png", async () => {
    const { status, json } = await upload(form({ data: img.png, name: "photo.jpg", type: "image/jpeg" }));
    expect(status).toBe(201);
    expect(json.contentType).toBe("image/png");
  });

  it("refuses files whose extension or Content-Type lies about non-media bytes", async () => {
    await expectRefused(form({ data: Buffer.from("<!doctype html><script>alert(1)</script>"), name: "avatar.png", type: "image/png" }), "unsupported_media_type", /file .*html/);
    await expectRefused(form({ data: Buffer.from("MZ\x90\x00\x03 this is a program"), name: "photo.jpg", type: "image/jpeg" }), "unsupported_media_type", /windows executable/);
    await expectRefused(form({ data: img.gif, name: "anim.png", type: "image/png" }), "unsupported_media_type", /gif.*PNG, JPEG, WebP/);
    await expectRefused(form({ data: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"), name: "a.webp" }), "unsupported_media_type", /file/);
    await expectRefused(form({ data: tinyZip(), name: "a.mp4", type: "video/mp4" }), "unsupported_media_type", /zip/);
  });

  it("refuses truncated images", async () => {
    for (const [name, data] of [["png", img.png], ["jpeg", img.jpeg], ["webp", img.webp]] as const) {
      await expectRefused(form({ data: data.subarray(0, Math.floor(data.length * 0.6)), name: `cut.${name}` }), "image_corrupt", /damaged|truncated|header/);
    }
    // Only the first bytes of a PNG: the signature and part of IHDR.
    await expectRefused(form({ data: img.png.subarray(0, 20), name: "stub.png" }), "image_corrupt", /file/);
  });

  it("refuses polyglots: PNG+ZIP, JPEG+ZIP, markup in PNG/JPEG metadata, data after IEND, PNG signature over HTML", async () => {
    await expectRefused(form({ data: Buffer.concat([img.png, tinyZip()]) }), "polyglot_file", /ZIP/);
    await expectRefused(form({ data: Buffer.concat([img.jpeg, tinyZip()]) }), "polyglot_file", /ZIP/);
    await expectRefused(form({ data: withPngChunkAfterIhdr(img.png, pngChunk("tEXt", Buffer.from("c\0<html><script>alert(1)</script>"))) }), "polyglot_file", /<html/);
    await expectRefused(form({ data: withJpegComment(img.jpeg, "<script>alert(document.domain)</script>") }), "polyglot_file", /<script/);
    await expectRefused(form({ data: Buffer.concat([img.png, Buffer.from("trailing payload bytes")]) }), "polyglot_file", /after the PNG IEND/);
    const fake = Buffer.concat([img.png.subarray(0, 8), Buffer.from("<html><body>not an image</body></html>")]);
    await expectRefused(form({ data: fake, name: "x.png" }), "polyglot_file", /<html/);
  });

  it("refuses a pixel bomb from its header, without decoding it", async () => {
    const bomb = pixelBombPng(100_000, 100_000);
    const rss = process.memoryUsage().rss;
    await expectRefused(form({ data: bomb, name: "bomb.png" }), "image_too_large", /100000×100000 pixels, over the 40,000,000-pixel limit/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
    // A WebP whose VP8X header claims a 16384×16384 canvas.
    const webpBomb = Buffer.concat([Buffer.from("RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0", "latin1"), Buffer.from([0xff, 0x3f, 0, 0xff, 0x3f, 0]), Buffer.alloc(64)]);
    await expectRefused(form({ data: webpBomb, name: "bomb.webp" }), "image_too_large", /16384×16384 pixels/);
  });

  it("refuses empty files, missing files, wrong kinds and malformed forms", async () => {
    await expectRefused(form({ data: Buffer.alloc(0), name: "empty.png" }), "empty_file", /file is empty/);
    await expectRefused(form(null, { kind: "image" }), "invalid_multipart", /file is missing/);
    await expectRefused(form({ data: img.png }, { kind: "audio" }), "kind_mismatch", /kind is 'audio' but the file is PNG/);
    await expectRefused(form({ data: img.png }, { kind: "document" }), "invalid_multipart", /kind must be one of/);
    // `kind` after the file: checked once the form is complete.
    const late = form({ data: img.png });
    late.append("kind", "video");
    await expectRefused(late, "kind_mismatch", /kind is 'video' but the file is PNG/);
    await expectRefused(JSON.stringify({ file: "x" }), "invalid_multipart", /multipart\/form-data/, { "content-type": "application/json" });
    const two = form({ data: img.png });
    two.append("file", new Blob([new Uint8Array(img.png)]), "second.png");
    await expectRefused(two, "invalid_multipart", /exactly one file/);
  });

  it("refuses a huge multipart early from its Content-Length", async () => {
    const started = Date.now();
    await expectRefused("x", "payload_too_large", /file is larger than the 200 MiB limit/, {
      "content-type": "multipart/form-data; boundary=x",
      "content-length": String(5 * 1024 * 1024 * 1024),
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("cuts a huge streamed multipart (no Content-Length) at the kind's cap with bounded memory", async () => {
    const boundary = "----corpus";
    const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="huge.png"\r\ncontent-type: image/png\r\n\r\n`);
    const total = 400 * 1024 * 1024;
    let sent = 0;
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) {
          controller.enqueue(new Uint8Array(Buffer.concat([head, img.png.subarray(0, 64)])));
          sent = 1;
          return;
        }
        if (sent >= total) return controller.close();
        sent += chunk.length;
        controller.enqueue(new Uint8Array(chunk));
      },
    });
    global.gc?.();
    const before = process.memoryUsage().rss;
    await expectRefused(stream, "payload_too_large", /20 MiB limit for image assets/, { "content-type": `multipart/form-data; boundary=${boundary}` });
    const grown = process.memoryUsage().rss - before;
    console.log(`streamed ${Math.round(sent / 1024 / 1024)} MiB of a 400 MiB body before refusal; RSS grew ${Math.round(grown / 1024 / 1024)} MiB`);
    expect(sent).toBeLessThan(40 * 1024 * 1024);
    expect(grown).toBeLessThan(150 * 1024 * 1024);
  });

  it("answers (and cleans up) when the client aborts mid-upload", async () => {
    const boundary = "abort";
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n\r\n`)));
        c.enqueue(new Uint8Array(img.png.subarray(0, 8192)));
        setTimeout(() => c.error(new Error("client went away")), 50);
      },
    });
    await expectRefused(stream, "invalid_multipart", /interrupted/, { "content-type": `multipart/form-data; boundary=${boundary}` });
  });

  it("refuses a chunked upload with an Idempotency-Key (it would have to be buffered whole)", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(Buffer.from("--b\r\n")));
        c.close();
      },
    });
    await expectRefused(stream, "invalid_multipart", /Content-Length is required/, { "content-type": "multipart/form-data; boundary=b", "idempotency-key": "k-1" });
  });

  it.skipIf(!av)("accepts real audio and video, and refuses a broken MP4", async () => {
    const media = av!;
    const expected: Array<[keyof typeof media, string, string]> = [
      ["mp4", "video", "video/mp4"],
      ["mov", "video", "video/quicktime"],
      ["webm", "video", "video/webm"],
      ["mp3", "audio", "audio/mpeg"],
      ["wav", "audio", "audio/wav"],
      ["ogg", "audio", "audio/ogg"],
      ["flac", "audio", "audio/flac"],
      ["m4a", "audio", "audio/mp4"],
      ["mp4AudioOnly", "audio", "audio/mp4"],
    ];
    for (const [name, kind, contentType] of expected) {
      const { status, json } = await upload(form({ data: media[name], name: `clip.${name}` }));
      expect({ name, status, kind: json.kind, contentType: json.contentType }).toEqual({ name, status: 201, kind, contentType });
      expect(check("Asset", json)).toEqual([]);
    }
    const broken = Buffer.concat([media.mp4.subarray(0, 32), Buffer.alloc(4096, 0xee)]);
    await expectRefused(form({ data: broken, name: "broken.mp4" }), "media_corrupt", /MP4/);
  });
});
