// Lipsync end to end on PostgreSQL: audio fetched from a local origin (allowed by a test address
// policy; the route's production policy refuses it), MP4 rendered and stored, credits settled.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/server/db/client";
import { encodeWav } from "@/server/media/wav";
import { callRoute, useTestDatabase } from "@/server/http/testing/test-api";
import { logger } from "@/server/logger";
import { checkPublicAddress } from "../net/ip-address";
import { DEFAULT_LIMITS } from "../assets/config";
import { getStorage } from "../storage";
import { findAssetByToken } from "../assets/assets";
import { createPortraitAvatar, loadRoutes, PORTRAIT, reservationsOf, seedCaller, testWallet, type Routes } from "./testing/turn-fixture";
import { LIPSYNC_MAX_SECONDS, runLipsync } from "./lipsync";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-lipsync-test-"));
const files: Record<string, Buffer> = {
  "/speech.wav": readFileSync(join(process.cwd(), "public/demo/speech.wav")),
  "/portrait.png": readFileSync(PORTRAIT),
  "/silence.wav": encodeWav(new Float32Array(16_000), 16_000),
  "/long.wav": encodeWav(new Float32Array(8_000 * (LIPSYNC_MAX_SECONDS + 5)).map((_, i) => Math.sin(i / 5) * 0.3), 8_000),
};
let origin: Server;
let base: string;
let db: Db;
let cleanup: () => Promise<void>;
let routes: Routes;
let caller: { tenantId: string; key: string };
let deps: Parameters<typeof runLipsync>[3];

beforeAll(async () => {
  process.env.STORAGE_DIR = storageDir;
  origin = createServer((req, res) => {
    const body = files[req.url ?? ""];
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  const port = (origin.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  ({ db, cleanup } = await useTestDatabase("postgres"));
  routes = await loadRoutes();
  caller = await seedCaller(db, 0);
  deps = {
    storage: getStorage(),
    limits: DEFAULT_LIMITS,
    baseUrl: "http://app.test",
    policy: (address, p) => (address === "127.0.0.1" && p === port ? { ok: true } : checkPublicAddress(address)),
  };
});
afterAll(async () => {
  await cleanup();
  await new Promise((r) => origin.close(r));
  rmSync(storageDir, { recursive: true, force: true });
});

const who = () => ({ tenantId: caller.tenantId, environment: "test" as const, apiKeyId: null, log: logger });

describe("lipsync", () => {
  it("registers a portrait URL as an avatar, renders the MP4, stores it and bills its length", async () => {
    const before = await testWallet(db, caller.tenantId);
    const t0 = performance.now();
    const result = await runLipsync(db, who(), { audioUrl: `${base}/speech.wav`, portraitUrl: `${base}/portrait.png` }, deps);
    console.log(`lipsync (incl. prepare) ${Math.round(performance.now() - t0)} ms for ${result.durationSeconds} s`);
    expect(result).toMatchObject({ fps: 25, avatarId: expect.stringMatching(/^ava_/) });
    expect(result.frames).toBe(Math.round(result.durationSeconds * 25));
    const token = new URL(result.url).pathname.split("/").pop()!;
    const asset = (await findAssetByToken(db, token))!;
    expect(asset).toMatchObject({ kind: "video", contentType: "video/mp4", tenantId: caller.tenantId });
    const file = join(storageDir, asset.storageKey);
    const probe = execFileSync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames,width", "-of", "csv=p=0", file]).toString().trim();
    expect(probe).toBe(`384,${result.frames}`);
    const [res] = (await reservationsOf(db, caller.tenantId)).slice(-1);
    expect(res).toMatchObject({ status: "settled", purpose: "lipsync", settledMicros: Math.round(result.durationSeconds * 1e6) });
    const after = await testWallet(db, caller.tenantId);
    expect(before.availableMicros - after.availableMicros).toBe(res!.settledMicros);

    // The same avatar again by id: no prepare, just the render.
    const t1 = performance.now();
    const again = await runLipsync(db, who(), { audioUrl: `${base}/speech.wav`, avatarId: result.avatarId }, deps);
    console.log(`lipsync (prepared avatar) ${Math.round(performance.now() - t1)} ms for ${again.durationSeconds} s`);
    expect(again.frames).toBe(result.frames);
  });

  it("a client that leaves mid-render stops the work and is not charged; its hold is released at once", async () => {
    const own = await createPortraitAvatar(routes, caller.key);
    const before = await testWallet(db, caller.tenantId);
    const count = (await reservationsOf(db, caller.tenantId)).length;
    const client = new AbortController();
    const run = runLipsync(db, who(), { audioUrl: `${base}/speech.wav`, avatarId: own }, deps, client.signal);
    // Leave once the render holds credits.
    await vi.waitFor(async () => expect((await reservationsOf(db, caller.tenantId)).length).toBe(count + 1), { timeout: 60_000, interval: 20 });
    client.abort();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    const [res] = (await reservationsOf(db, caller.tenantId)).slice(-1);
    expect(res).toMatchObject({ status: "voided", purpose: "lipsync" });
    const after = await testWallet(db, caller.tenantId);
    expect(after).toMatchObject({ availableMicros: before.availableMicros, reservedMicros: 0, usedMicros: before.usedMicros });
  });

  it("refuses bad audio with 422 before reserving anything", async () => {
    const own = await createPortraitAvatar(routes, caller.key);
    const count = (await reservationsOf(db, caller.tenantId)).length;
    for (const [path, code] of [
      ["/silence.wav", "audio_silent"],
      ["/long.wav", "audio_too_long"],
      ["/portrait.png", "kind_mismatch"],
    ] as const) {
      await expect(runLipsync(db, who(), { audioUrl: `${base}${path}`, avatarId: own }, deps)).rejects.toMatchObject({ code, status: 422 });
    }
    expect(await reservationsOf(db, caller.tenantId)).toHaveLength(count);
  });

  it("through the public route: the production address policy refuses a loopback audioUrl (422)", async () => {
    const { POST } = await import("@/app/api/v1/lipsync/route");
    const res = await callRoute(POST, { method: "POST", path: "/api/v1/lipsync", key: caller.key, body: { audioUrl: `${base}/speech.wav`, portraitUrl: `${base}/portrait.png` } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "remote_url_not_allowed" });
    const neither = await callRoute(POST, { method: "POST", path: "/api/v1/lipsync", key: caller.key, body: { audioUrl: `${base}/speech.wav` } });
    expect(neither.status).toBe(422);
  });
});
