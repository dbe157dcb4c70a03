// S3Storage against a fake S3 (path-style PUT/GET/DELETE on a local server): the real SDK, our requests.
// The fake stands in for a third-party service that cannot run here; it speaks just enough of the protocol.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Storage } from "./s3-storage";

const objects = new Map<string, { body: Buffer; type: string }>();
const seen: Array<{ method: string; url: string; auth: boolean }> = [];
let server: http.Server;
let endpoint = "";
const dir = mkdtempSync(join(tmpdir(), "tic-s3-"));

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const key = decodeURIComponent((req.url ?? "").split("?")[0]!);
    seen.push({ method: req.method!, url: key, auth: String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256") });
    if (req.method === "PUT") {
      objects.set(key, { body: Buffer.concat(chunks), type: String(req.headers["content-type"]) });
      return res.writeHead(200, { etag: '"x"' }).end();
    }
    const found = objects.get(key);
    if (req.method === "DELETE") {
      objects.delete(key);
      return res.writeHead(204).end();
    }
    if (!found) return res.writeHead(404, { "content-type": "application/xml" }).end("<Error><Code>NoSuchKey</Code><Message>no</Message></Error>");
    const range = /bytes=(\d+)-(\d+)/.exec(String(req.headers.range ?? ""));
    if (range) {
      const part = found.body.subarray(Number(range[1]), Number(range[2]) + 1);
      return res.writeHead(206, { "content-type": found.type, "content-length": part.length }).end(part);
    }
    res.writeHead(200, { "content-type": found.type, "content-length": found.body.length }).end(found.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function read(stream: NodeJS.ReadableStream | null): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream!) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("S3Storage", () => {
  const storage = () =>
    new S3Storage({ bucket: "media", region: "us-east-1", endpoint, accessKeyId: "AKIDTEST", secretAccessKey: "secret", forcePathStyle: true, prefix: "tic/" });

  it("uploads a file under bucket/prefix/key with its type, reads it (and a range) back, deletes it", async () => {
    const file = join(dir, "a.bin");
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    writeFileSync(file, bytes);
    const s = storage();
    await s.putFile("assets/ten_a/x.png", file, "image/png");
    expect(existsSync(file)).toBe(false);
    expect(objects.get("/media/tic/assets/ten_a/x.png")).toEqual({ body: bytes, type: "image/png" });
    expect(seen.every((r) => r.auth)).toBe(true);
    expect(await read(await s.get("assets/ten_a/x.png"))).toEqual(bytes);
    expect(await read(await s.get("assets/ten_a/x.png", { start: 10, end: 19 }))).toEqual(bytes.subarray(10, 20));
    await s.delete("assets/ten_a/x.png");
    expect(await s.get("assets/ten_a/x.png")).toBeNull();
  });

  it("refuses unsafe keys before any request", async () => {
    const before = seen.length;
    await expect(storage().get("../secrets")).rejects.toThrow(/unsafe storage key/);
    expect(seen.length).toBe(before);
  });
});
