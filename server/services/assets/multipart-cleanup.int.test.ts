// Bad multipart uploads through the real POST /api/v1/assets handler: each is answered promptly
// with 422, and no temp file of it is left behind (open or on disk), whatever went wrong and when.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/client";
import { mintKey, seedTenant, useTestDatabase } from "../../http/testing/test-api";
import { images } from "./testing/media-fixtures";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-storage-"));
// Uploads are received under os.tmpdir(): a folder of this test's own, to see what is left in it.
const uploadTmp = mkdtempSync(join(tmpdir(), "tic-upload-test-"));
const savedTmp = process.env.TMPDIR;
let db: Db;
let cleanup: () => Promise<void>;
let key: string;
let POST: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
let png: Buffer;

beforeAll(async () => {
  process.env.STORAGE_DIR = storageDir;
  ({ db, cleanup } = await useTestDatabase("postgres"));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  key = (await mintKey(db, tenant.id, { scopes: ["avatars:write"] })).apiKey;
  ({ POST } = await import("@/app/api/v1/assets/route"));
  png = (await images()).png;
  process.env.TMPDIR = uploadTmp;
});
afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
  rmSync(uploadTmp, { recursive: true, force: true });
});
afterEach(() => {
  // What a bad upload leaves: a temp file still being written, or one never removed.
  const left = readdirSync(uploadTmp);
  for (const name of left) rmSync(join(uploadTmp, name), { recursive: true, force: true });
  expect(left).toEqual([]);
});

/**
 * The form in two chunks, the first ending inside the file, as a server receives it off the network:
 * the fields, the file's start and the rest of it do not arrive part by part.
 */
async function inTwoChunks(form: FormData): Promise<[ReadableStream<Uint8Array>, Record<string, string>]> {
  const encoded = new Response(form);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const cut = bytes.byteLength - 1000;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.slice(0, cut));
      c.enqueue(bytes.slice(cut));
      c.close();
    },
  });
  return [stream, { "content-type": encoded.headers.get("content-type")!, "content-length": String(bytes.byteLength) }];
}

/** Fails the test instead of waiting for a hung upload until the test runner gives up. */
function promptly<T>(answer: Promise<T>, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

async function upload(body: BodyInit, headers: Record<string, string> = {}) {
  const req = new Request("http://localhost/api/v1/assets", { method: "POST", headers: { authorization: `Bearer ${key}`, ...headers }, body, duplex: "half" } as RequestInit);
  const res = await promptly(POST(req, { params: Promise.resolve({}) }));
  return { status: res.status, json: (await res.json()) as { code?: string; error?: string } };
}

const file = () => new Blob([new Uint8Array(png)], { type: "image/png" });

describe("bad multipart uploads", () => {
  it("answers 422 at once for more than 8 fields before the file", async () => {
    const form = new FormData();
    for (let i = 0; i < 9; i++) form.append(`note${i}`, "x");
    form.append("file", file(), "a.png");
    const refused = { status: 422, json: { code: "invalid_multipart", error: expect.stringMatching(/too many form fields/) } };
    expect(await upload(form)).toMatchObject(refused);
    expect(await upload(...(await inTwoChunks(form)))).toMatchObject(refused);
  });

  it("removes the received file when a `kind` sent after it is invalid", async () => {
    const form = new FormData();
    form.append("file", file(), "a.png");
    form.append("kind", "document");
    expect(await upload(form)).toMatchObject({ status: 422, json: { code: "invalid_multipart", error: expect.stringMatching(/kind must be one of/) } });
  });

  it("removes the received file when the form goes wrong after it", async () => {
    const tooMany = new FormData();
    tooMany.append("file", file(), "a.png");
    for (let i = 0; i < 12; i++) tooMany.append(`late${i}`, "x");
    expect((await upload(tooMany)).status).toBe(422);

    const two = new FormData();
    two.append("file", file(), "a.png");
    two.append("file", file(), "b.png");
    expect(await upload(two)).toMatchObject({ status: 422, json: { code: "invalid_multipart" } });

    const lateKind = new FormData();
    lateKind.append("file", file(), "a.png");
    lateKind.append("kind", "video");
    expect(await upload(lateKind)).toMatchObject({ status: 422, json: { code: "kind_mismatch" } });
  });

  it("removes a half-received file when the form is cut off", async () => {
    const boundary = "cut";
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n\r\n`)));
        c.enqueue(new Uint8Array(png.subarray(0, 8192)));
        c.close();
      },
    });
    expect((await upload(stream, { "content-type": `multipart/form-data; boundary=${boundary}` })).status).toBe(422);
  });
});
