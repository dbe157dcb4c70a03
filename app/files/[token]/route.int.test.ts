// GET /files/{token} with Range headers, through the real route on the configured storage and database.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/core/ids/new-id";
import { assets } from "@/server/db/schema";
import { apiTestDatabaseKind, seedTenant, useTestDatabase } from "@/server/http/testing/test-api";

const storageDir = mkdtempSync(join(tmpdir(), "tic-files-"));
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const token = "t".repeat(43);
let cleanup: () => Promise<void>;
let GET: (req: Request, ctx: { params: Promise<{ token: string }> }) => Promise<Response>;

beforeAll(async () => {
  process.env.STORAGE_DIR = storageDir;
  const opened = await useTestDatabase(apiTestDatabaseKind());
  cleanup = opened.cleanup;
  const tenant = await seedTenant(opened.db);
  const storageKey = `assets/${tenant.id}/range-test.bin`;
  mkdirSync(join(storageDir, "assets", tenant.id), { recursive: true });
  writeFileSync(join(storageDir, storageKey), bytes);
  await opened.db.insert(assets).values({
    id: newId("ast"),
    tenantId: tenant.id,
    kind: "audio",
    contentType: "audio/wav",
    sizeBytes: bytes.length,
    sha256: "f".repeat(64),
    storageKey,
    publicToken: token,
  });
  ({ GET } = await import("./route"));
});
afterAll(async () => {
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
});

async function fetchFile(range?: string) {
  const res = await GET(new Request(`http://localhost/files/${token}`, { headers: range ? { range } : {} }), { params: Promise.resolve({ token }) });
  return { status: res.status, contentRange: res.headers.get("content-range"), body: Buffer.from(await res.arrayBuffer()) };
}

describe("GET /files/{token} ranges", () => {
  it("serves one byte range as 206", async () => {
    const r = await fetchFile("bytes=10-19");
    expect(r.status).toBe(206);
    expect(r.contentRange).toBe("bytes 10-19/1000");
    expect(r.body.equals(bytes.subarray(10, 20))).toBe(true);
  });

  it.each(["bytes=0-1,5-6", "items=0-5", "bytes=9-2", "bytes=x-y"])("ignores a range it does not serve (%s) and sends the whole file", async (range) => {
    const r = await fetchFile(range);
    expect(r.status).toBe(200);
    expect(r.contentRange).toBeNull();
    expect(r.body.equals(bytes)).toBe(true);
  });

  it("answers 416 to a single byte range beyond the end", async () => {
    const r = await fetchFile("bytes=1000-1100");
    expect(r.status).toBe(416);
    expect(r.contentRange).toBe("bytes */1000");
  });
});
