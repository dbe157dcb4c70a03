// Remote ingest end to end: the REST route with the production (public-only) policy refuses internal
// targets with 422 and no connection; the service with a test policy stores, caps and times out.
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/client";
import type { NextRouteHandler } from "../../http/api-route";
import { callRoute, mintKey, seedTenant, useTestDatabase } from "../../http/testing/test-api";
import { checkPublicAddress } from "../net/ip-address";
import { LocalStorage } from "../storage/local-storage";
import { DEFAULT_LIMITS } from "./config";
import { ingestRemote, type RemoteDeps } from "./remote";
import { contractSchemas } from "./testing/contract-schemas";
import { images } from "./testing/media-fixtures";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-storage-"));
const check = contractSchemas();
let db: Db;
let cleanup: () => Promise<void>;
let tenantId: string;
let key: string;
let remoteRoute: NextRouteHandler;
let canary: net.Server;
let hits = 0;
let origin: http.Server;
let C = 0;
let P = 0;
let png: Buffer;

beforeAll(async () => {
  process.env.STORAGE_DIR = storageDir;
  ({ db, cleanup } = await useTestDatabase("postgres"));
  const tenant = await seedTenant(db, { plan: "enterprise" });
  tenantId = tenant.id;
  key = (await mintKey(db, tenant.id)).apiKey;
  ({ POST: remoteRoute } = await import("@/app/api/v1/assets/remote/route"));
  png = (await images()).png;
  canary = net.createServer((s) => {
    hits++;
    s.destroy();
  });
  await new Promise<void>((r) => canary.listen(0, "::", r));
  C = (canary.address() as AddressInfo).port;
  origin = http.createServer((req, res) => {
    if (req.url === "/portrait.png") return res.writeHead(200, { "content-type": "image/png" }).end(png);
    if (req.url === "/page.png") return res.writeHead(200, { "content-type": "image/png" }).end("<html>not a picture</html>");
    if (req.url === "/drip") {
      res.writeHead(200);
      res.write(png.subarray(0, 64));
      const t = setInterval(() => res.write("x"), 100);
      return res.on("close", () => clearInterval(t));
    }
    if (req.url === "/endless") {
      res.writeHead(200);
      res.write(png.subarray(0, 64));
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on("drain", pump);
      return pump();
    }
    res.writeHead(302, { location: `http://127.0.0.1:${C}/` }).end();
  });
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  P = (origin.address() as AddressInfo).port;
});
afterAll(async () => {
  origin.closeAllConnections();
  await new Promise((r) => origin.close(r));
  await new Promise((r) => canary.close(r));
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
});

const deps = (): RemoteDeps => ({
  storage: new LocalStorage(storageDir),
  limits: { ...DEFAULT_LIMITS, maxBytes: { ...DEFAULT_LIMITS.maxBytes, image: 2 * 1024 * 1024 }, remoteTimeoutMs: 1500 },
  policy: (address, port) => (address === "127.0.0.1" && port === P ? { ok: true } : checkPublicAddress(address)),
});

describe("POST /api/v1/assets/remote", () => {
  it("answers 422 remote_url_not_allowed for internal targets and non-http schemes; the canary sees nothing", async () => {
    const urls = [
      `http://127.0.0.1:${C}/a.png`,
      `http://2130706433:${C}/`,
      `http://0x7f.1:${C}/`,
      `http://0177.0.0.1:${C}/`,
      `http://[::1]:${C}/`,
      `http://[::ffff:127.0.0.1]:${C}/`,
      `http://localhost:${C}/`,
      "http://169.254.169.254/latest/meta-data/",
      `http://10.0.0.1:${C}/`,
      `http://[fd00::1]:${C}/`,
      // The origin server is not public under the production policy either, so its redirect never runs.
      `http://127.0.0.1:${P}/redirect`,
      "file:///etc/passwd",
      "gopher://127.0.0.1:70/",
      "javascript:alert(1)",
    ];
    for (const remoteUrl of urls) {
      const res = await callRoute(remoteRoute, { method: "POST", path: "/api/v1/assets/remote", key, body: { kind: "image", remoteUrl } });
      const json = (await res.json()) as Record<string, unknown>;
      expect({ url: remoteUrl, status: res.status, code: json.code }).toEqual({ url: remoteUrl, status: 422, code: "remote_url_not_allowed" });
      expect(json.error).toMatch(/remoteUrl/);
      expect(check("Error", json)).toEqual([]);
    }
    expect(hits).toBe(0);
  });

  it("validates the body per the contract (unknown fields, missing kind)", async () => {
    const unknown = await callRoute(remoteRoute, { method: "POST", path: "/api/v1/assets/remote", key, body: { kind: "image", remoteUrl: "https://example.com/a.png", x: 1 } });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).error).toContain("x");
    const missing = await callRoute(remoteRoute, { method: "POST", path: "/api/v1/assets/remote", key, body: { remoteUrl: "https://example.com/a.png" } });
    expect(missing.status).toBe(422);
    expect((await missing.json()).error).toContain("kind");
  });
});

describe("ingestRemote", () => {
  it("stores a fetched image with its sniffed type and hash", async () => {
    const row = await ingestRemote(db, tenantId, { kind: "image", remoteUrl: `http://127.0.0.1:${P}/portrait.png` }, deps());
    expect(row).toMatchObject({ kind: "image", contentType: "image/png", sizeBytes: png.length, originalFilename: "portrait.png", sourceUrl: `http://127.0.0.1:${P}/portrait.png` });
  });

  it("re-checks redirects: a hop to the canary is refused", async () => {
    await expect(ingestRemote(db, tenantId, { kind: "image", remoteUrl: `http://127.0.0.1:${P}/redirect` }, deps())).rejects.toMatchObject({ reason: "remote_url_not_allowed" });
    expect(hits).toBe(0);
  });

  it("applies the upload checks to fetched bytes", async () => {
    await expect(ingestRemote(db, tenantId, { kind: "image", remoteUrl: `http://127.0.0.1:${P}/page.png` }, deps())).rejects.toMatchObject({
      reason: "unsupported_media_type",
      message: expect.stringContaining("the file at remoteUrl"),
    });
    await expect(ingestRemote(db, tenantId, { kind: "audio", remoteUrl: `http://127.0.0.1:${P}/portrait.png` }, deps())).rejects.toMatchObject({ reason: "kind_mismatch" });
  });

  it("cuts off a slow drip at the time budget and an endless body at the kind's byte cap", async () => {
    const started = Date.now();
    await expect(ingestRemote(db, tenantId, { kind: "image", remoteUrl: `http://127.0.0.1:${P}/drip` }, deps())).rejects.toMatchObject({ reason: "remote_fetch_failed", message: expect.stringContaining("cut off") });
    expect(Date.now() - started).toBeLessThan(4000);
    await expect(ingestRemote(db, tenantId, { kind: "image", remoteUrl: `http://127.0.0.1:${P}/endless` }, deps())).rejects.toMatchObject({ reason: "payload_too_large" });
  });
});
