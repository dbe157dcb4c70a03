import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BodyTooLarge, bodyLimit, limitedRequest } from "../services/request-body";
import { PatternStrippingHash, spoolRequest } from "./request-spool";
import { countedBody, READ_SLACK, requestWith } from "./testing/counted-body";

const reference = (body: Buffer, pattern: string) => createHash("sha256").update(body.toString("latin1").split(pattern).join(""), "latin1").digest("hex");

describe("request spooling for Idempotency-Key fingerprints", () => {
  it("strips a pattern across arbitrary chunk boundaries exactly like split/join", () => {
    for (let trial = 0; trial < 200; trial++) {
      const pattern = ["--b0undary", "aa", "xyzxyz"][trial % 3]!;
      const parts: Buffer[] = [];
      for (let i = 0; i < 20; i++) parts.push(Math.random() < 0.3 ? Buffer.from(pattern) : randomBytes(Math.floor(Math.random() * 8)), Buffer.from("a"));
      const body = Buffer.concat(parts);
      const h = new PatternStrippingHash(createHash("sha256"), Buffer.from(pattern));
      for (let at = 0; at < body.length; ) {
        const n = 1 + Math.floor(Math.random() * 7);
        h.update(body.subarray(at, at + n));
        at += n;
      }
      expect(h.digest()).toBe(reference(body, pattern));
    }
  });

  it("gives two sends of the same upload (different boundaries) one fingerprint, spooling large bodies to disk", async () => {
    const file = randomBytes(3 * 1024 * 1024);
    const send = async () => {
      const form = new FormData();
      form.set("file", new Blob([file], { type: "image/png" }), "a.png");
      // A Request over FormData has no Content-Length: the spool path is taken.
      const req = new Request("http://x/api/v1/assets", { method: "POST", body: form });
      return spoolRequest(req, "POST", "/api/v1/assets");
    };
    const [a, b] = [await send(), await send()];
    expect(a.fingerprint).toBe(b.fingerprint);
    const replayed = new Uint8Array(await a.request.arrayBuffer());
    expect(replayed.byteLength).toBeGreaterThan(file.byteLength);
    expect(Buffer.from(replayed).includes(file.subarray(0, 1024))).toBe(true);
    await a.cleanup();
    await b.cleanup();
  });

  it("stops spooling the moment the body passes its route's limit, and removes what it wrote", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tic-spool-test-"));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      const limit = bodyLimit(2 * 1024 * 1024, 422, "uploads");
      const body = countedBody(64 * 1024 * 1024);
      const req = limitedRequest(requestWith("http://x/api/v1/assets", body, { "content-type": "multipart/form-data; boundary=b" }), limit);
      await expect(spoolRequest(req, "POST", "/api/v1/assets")).rejects.toBeInstanceOf(BodyTooLarge);
      expect(body.pulled()).toBeLessThanOrEqual(limit.maxBytes + READ_SLACK);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
