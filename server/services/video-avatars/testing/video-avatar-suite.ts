import "server-only";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { Ajv2020 } from "ajv/dist/2020.js";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RgbaImage } from "@/core/render/raster";
import type { Rig } from "@/core/render/rig";
import { loopFrameForOutput, type VideoPlan } from "@/core/video/loop-plan";
import { SourceVideoRenderer } from "@/core/video/video-frames";
import { compileRig } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { renderMp4 } from "@/server/render/render-mp4";
import type { AvatarMuxEvent } from "@/packages/sdk/src";
import { avatarManifests } from "@/server/db/schema";
import type { NextRouteHandler } from "@/server/http/api-route";
import { extendedContract } from "@/server/http/openapi/extensions";
import { callRoute } from "@/server/http/testing/test-api";
import { logger } from "@/server/logger";
import { encodeJpeg } from "@/server/render/frame-encoder";
import { decodeFrames } from "@/server/video-avatar/decode-frames";
import { colourClip, cutClip, idleClip, oversizeClip, panAwayClip, takeoverClip } from "@/server/video-avatar/testing/clips";
import { findAsset, findAssetByToken } from "../../assets/assets";
import { DEFAULT_LIMITS } from "../../assets/config";
import { checkPublicAddress } from "../../net/ip-address";
import { runLipsync } from "../../realtime/lipsync";
import { platformRig } from "../../realtime/platform";
import { readAssetBytes } from "../../realtime/source-image";
import { createPortraitAvatar, decodeTurn, useRouteWorld } from "../../realtime/testing/turn-fixture";
import { VIDEO_SIZE } from "../../realtime/turn-request";
import { getStorage } from "../../storage";
import { decodeLoop } from "../loop-video";

/** Validates a body against a component schema of the served OpenAPI document (seed contract + this server's additions). */
function servedSchemas() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(structuredClone(extendedContract()) as object, "served");
  return (schema: string, body: unknown): string[] => {
    const validate = ajv.compile({ $ref: `served#/components/schemas/${schema}` });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${schema}${e.instancePath} ${e.message}`);
  };
}

type AvatarJson = { id: string; status: string; failureReason: string | null; sourceKind: string; cacheManifestId: string | null };
type PlanJson = { status: "queued" | "ready"; plan: VideoPlan | null; manifest: { id?: string; status: string; loop_asset_id?: string | null } };
type Box = { x0: number; y0: number; x1: number; y1: number };

/** Mean absolute RGB difference of two RGBA (or RGB: `channels`) pictures of one size, inside or outside `box` (pixels). */
function meanDiff(a: Uint8Array, b: Uint8Array, size: number, box: Box, inside: boolean, ca = 4, cb = 4): number {
  let s = 0, n = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inBox = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
      if (inBox !== inside) continue;
      const i = (y * size + x) * ca, j = (y * size + x) * cb;
      s += Math.abs(a[i]! - b[j]!) + Math.abs(a[i + 1]! - b[j + 1]!) + Math.abs(a[i + 2]! - b[j + 2]!);
      n += 3;
    }
  }
  return n ? s / n : 0;
}

/**
 * The largest mean absolute difference of any 8x8 block wholly outside `box`: a blink, a sway or a
 * smear anywhere shows here even when the picture's mean hardly moves.
 */
function worstBlockOutside(a: Uint8Array, b: Uint8Array, size: number, box: Box, ca: number, cb: number): number {
  let worst = 0;
  for (let by = 0; by + 8 <= size; by += 8) {
    for (let bx = 0; bx + 8 <= size; bx += 8) {
      if (bx + 8 > box.x0 && bx < box.x1 && by + 8 > box.y0 && by < box.y1) continue;
      let s = 0;
      for (let y = by; y < by + 8; y++) {
        for (let x = bx; x < bx + 8; x++) {
          const i = (y * size + x) * ca, j = (y * size + x) * cb;
          s += Math.abs(a[i]! - b[j]!) + Math.abs(a[i + 1]! - b[j + 1]!) + Math.abs(a[i + 2]! - b[j + 2]!);
        }
      }
      worst = Math.max(worst, s / 192);
    }
  }
  return worst;
}

/** The box (pixels at `size`) around the mouth, jaw and chin: everything speech may move, with margin for the head's sway. */
function mouthBox(rig: Rig, size: number): Box {
  const pts = [...rig.mouth.outer.upper, ...rig.mouth.outer.lower];
  const mw = Math.max(...pts.map((p) => p[0])) - Math.min(...pts.map((p) => p[0]));
  const cx = (Math.max(...pts.map((p) => p[0])) + Math.min(...pts.map((p) => p[0]))) / 2;
  const top = Math.min(...pts.map((p) => p[1]));
  const chin = rig.face.chin[1];
  // The jaw's pull fades out 0.48 face widths from the mouth's centre and 0.3 face heights below the
  // chin, the upper lip's lift 0.8 mouth widths above the lips (core/render/model.ts, deform.ts).
  const half = Math.max(1.1 * mw, 0.55 * rig.face.width);
  return { x0: Math.floor((cx - half) * size), x1: Math.ceil((cx + half) * size), y0: Math.floor((top - 0.8 * mw) * size), y1: Math.ceil((chin + 0.4 * rig.face.height) * size) };
}
const tightMouth = (rig: Rig, size: number): Box => {
  const pts = [...rig.mouth.inner.upper, ...rig.mouth.inner.lower];
  const xs = pts.map((p) => p[0] * size), ys = pts.map((p) => p[1] * size);
  return { x0: Math.floor(Math.min(...xs)), x1: Math.ceil(Math.max(...xs)), y0: Math.floor(Math.min(...ys) - 2), y1: Math.ceil(Math.max(...ys) + 0.04 * size) };
};

/**
 * Source-video avatars end to end on `kind`: a clip made here from the fixture's idle motion becomes
 * an avatar on the job queue, its plan's loop is seamless, turns and lipsyncs move only the mouth;
 * with `refusals`, every clip the engine refuses is refused with its code.
 */
export function videoAvatarSuite(kind: "postgres" | "pglite", opts: { refusals: boolean }) {
  const world = useRouteWorld(`video-avatar-${kind}`, 200_000_000, kind);
  const dir = mkdtempSync(join(tmpdir(), "tic-video-clips-"));
  let plan: NextRouteHandler;
  let avatarId = "";
  let origin: Server;
  let base = "";
  beforeAll(async () => {
    plan = (await import("@/app/api/v1/realtime/video-cache/plan/route")).POST;
    origin = createServer((req, res) => {
      if (req.url !== "/speech.wav") return res.writeHead(404).end();
      const body = readFileSync(join(process.cwd(), "public/demo/speech.wav"));
      res.writeHead(200, { "content-length": body.length }).end(body);
    });
    await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => origin.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const key = () => world.caller.key;
  const getAvatar = async (id: string) => (await (await callRoute(world.routes.getAvatar, { path: `/api/v1/avatars/${id}`, key: key(), params: { avatarId: id } })).json()) as AvatarJson;
  const callPlan = (body: Record<string, unknown>) => callRoute(plan, { method: "POST", path: "/api/v1/realtime/video-cache/plan", key: key(), body });
  async function createVideoAvatar(path: string): Promise<string> {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(readFileSync(path))]), path.split("/").at(-1)!);
    const up = await callRoute(world.routes.upload, { method: "POST", path: "/api/v1/assets", key: key(), body: form });
    expect(up.status, await up.clone().text()).toBe(201);
    const { id: assetId, kind: assetKind } = (await up.json()) as { id: string; kind: string };
    expect(assetKind).toBe("video");
    const res = await callRoute(world.routes.createAvatar, { method: "POST", path: "/api/v1/avatars", key: key(), body: { displayName: "Clip", sourceKind: "video", sourceAssetId: assetId } });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }
  async function settled(id: string): Promise<AvatarJson> {
    let last: AvatarJson | undefined;
    await vi.waitFor(async () => {
      last = await getAvatar(id);
      expect(["ready", "failed"]).toContain(last.status);
    }, { timeout: 120_000, interval: 300 });
    return last!;
  }
  async function readyPlan(body: Record<string, unknown>): Promise<PlanJson> {
    let last: PlanJson | undefined;
    await vi.waitFor(async () => {
      const res = await callPlan(body);
      expect(res.status, await res.clone().text()).toBe(200);
      last = (await res.json()) as PlanJson;
      expect(last.status).toBe("ready");
    }, { timeout: 120_000, interval: 300 });
    return last!;
  }
  async function loopOf(p: PlanJson, size: number): Promise<RgbaImage[]> {
    const asset = await findAsset(world.db, world.caller.tenantId, p.manifest.loop_asset_id!);
    const path = join(dir, `loop-${Math.random().toString(36).slice(2)}.mp4`);
    writeFileSync(path, await readAssetBytes(asset!));
    return decodeLoop(path, size, p.plan!.output.fps, 1000);
  }
  async function rigOf(id: string): Promise<Rig> {
    const a = await getAvatar(id);
    const [row] = await world.db.select().from(avatarManifests).where(and(eq(avatarManifests.tenantId, world.caller.tenantId), eq(avatarManifests.id, a.cacheManifestId!)));
    return row!.rig as unknown as Rig;
  }

  describe(`source-video avatars (${kind})`, () => {
    it("a clip of one person becomes a ready video avatar on the job queue, and the plan's loop is seamless", async () => {
      avatarId = await createVideoAvatar(await idleClip(join(dir, "idle.mp4"), { seconds: 4, fps: 10 }));
      expect(["draft", "preprocessing"]).toContain((await getAvatar(avatarId)).status);
      const done = await settled(avatarId);
      expect(done, done.failureReason ?? "").toMatchObject({ status: "ready", sourceKind: "video", cacheManifestId: expect.stringMatching(/^man_/) });
      const p = await readyPlan({ avatar_id: avatarId });
      expect(p.manifest).toMatchObject({ id: expect.stringMatching(/^vc_/), status: "ready", loop_asset_id: expect.stringMatching(/^ast_/) });
      const check = servedSchemas();
      expect([...check("VideoCachePlan", p.plan), ...check("VideoCacheRecord", p.manifest)]).toEqual([]);
      const { loop, output, rigTrack, mouthClosed } = p.plan!;
      expect(output).toEqual({ size: 288, fps: 10 });
      expect(loop.endSec - loop.startSec).toBeGreaterThanOrEqual(2);
      expect(rigTrack).toHaveLength(Math.round((loop.endSec - loop.startSec) * 10));
      expect(mouthClosed).toHaveLength(rigTrack.length);
      // The rig track is smooth: no step between frames larger than a few thousandths of the crop.
      for (let i = 1; i < rigTrack.length; i++) for (let k = 0; k < 4; k++) expect(Math.abs(rigTrack[i]![k]! - rigTrack[i - 1]![k]!)).toBeLessThan(0.01);
      // Seamless: played as the plan says, the step across the loop point is no larger than the clip's own steps.
      const frames = await loopOf(p, 128);
      expect(frames).toHaveLength(rigTrack.length);
      const whole: Box = { x0: 0, y0: 0, x1: 128, y1: 128 };
      const own = frames.slice(1).map((f, i) => meanDiff(frames[i]!.data as Uint8Array, f.data as Uint8Array, 128, whole, true));
      const order = Array.from({ length: loop.frames + 1 }, (_, k) => loopFrameForOutput(p.plan!, k, output.fps));
      const seam = meanDiff(frames[order[loop.frames - 1]!]!.data as Uint8Array, frames[order[loop.frames]!]!.data as Uint8Array, 128, whole, true);
      expect(seam).toBeLessThanOrEqual(Math.max(...own) + 0.05);
      // The same plan is answered again (persisted), not recomputed.
      expect(((await (await callPlan({ avatar_id: avatarId })).json()) as PlanJson).manifest.id).toBe(p.manifest.id);
    });

    it("plan overrides are validated, and new ones queue a cache that becomes ready with their size and fps", async () => {
      for (const bad of [{ fps: 100 }, { size: 1000 }, { size: 255 }, { loop_start_s: 3, loop_end_s: 3.5 }, { loop_end_s: 50 }, { colour: "red" }]) {
        const res = await callPlan({ avatar_id: avatarId, video_cache: bad });
        expect(res.status, JSON.stringify(bad)).toBe(422);
        expect(((await res.json()) as { error: string }).error).toMatch(/video_cache/);
      }
      const first = await callPlan({ avatar_id: avatarId, video_cache: { fps: 5, size: 128, loop_start_s: 0.5, loop_end_s: 3.5 } });
      expect(first.status).toBe(200);
      expect(["queued", "ready"]).toContain(((await first.json()) as PlanJson).status);
      const p = await readyPlan({ avatar_id: avatarId, video_cache: { size: 128, fps: 5, loop_start_s: 0.5, loop_end_s: 3.5 } });
      expect(p.plan!.output).toEqual({ size: 128, fps: 5 });
      expect(p.plan!.loop).toMatchObject({ startSec: 0.5, endSec: 3.5 });
      expect(await loopOf(p, 128)).toHaveLength(15);
      expect((await callPlan({ avatar_id: "ava_doesnotexist0000000" })).status).toBe(404);
      const portraitId = await createPortraitAvatar(world.routes, key());
      const portrait = await callPlan({ avatar_id: portraitId });
      expect(portrait.status).toBe(422);
      expect(((await portrait.json()) as { error: string }).error).toMatch(/portrait/);
      // Prepare answers the cache it is asked for: by id, or by overrides (the same cache as the plan's).
      const prepare = (body: Record<string, unknown>) => callRoute(world.routes.prepare, { method: "POST", path: "/api/v1/realtime/prepare", key: key(), body: { avatar_id: avatarId, ...body } });
      const byId = await prepare({ video_cache_id: p.manifest.id });
      expect(byId.status).toBe(200);
      expect(((await byId.json()) as { video_cache: { id: string } }).video_cache.id).toBe(p.manifest.id);
      const byOverrides = (await (await prepare({ video_cache: { size: 128, fps: 5, loop_start_s: 0.5, loop_end_s: 3.5 } })).json()) as { video_cache: { id: string } };
      expect(byOverrides.video_cache.id).toBe(p.manifest.id);
      expect((await prepare({ video_cache_id: "vc_nope" })).status).toBe(404);
    });

    it("a server-rendered turn moves the mouth on the loop and leaves the rest of each frame within the source's noise", async () => {
      const prep = await callRoute(world.routes.prepare, { method: "POST", path: "/api/v1/realtime/prepare", key: key(), body: { avatar_id: avatarId, source_kind: "source_video" } });
      expect(prep.status, await prep.clone().text()).toBe(200);
      const prepared = (await prep.json()) as { source_kind: string; video_cache: { id: string; status: string } };
      expect(prepared).toMatchObject({ source_kind: "source_video", video_cache: { status: "ready" } });
      expect(servedSchemas()("RealtimePrepareResponse", prepared)).toEqual([]);
      const res = await callRoute(world.routes.turn, {
        method: "POST",
        path: "/api/v1/realtime/turn",
        key: key(),
        body: { avatar_id: avatarId, mode: "speak_text", text: "Hello there, we open at nine.", render: "server", source_kind: "source_video", video_cache_id: prepared.video_cache.id, playout_delay_ms: 2000 },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const records: AvatarMuxEvent[] = await decodeTurn(res);
      expect(records.at(-1)).toMatchObject({ kind: "end", reason: "complete" });
      const p = await readyPlan({ avatar_id: avatarId });
      const loop = await loopOf(p, VIDEO_SIZE);
      const rig = await rigOf(avatarId);
      const box = mouthBox(rig, VIDEO_SIZE);
      const tight = tightMouth(rig, VIDEO_SIZE);
      const mouths = new Map(records.flatMap((r) => (r.kind === "motion" ? [[r.frame, r.mouth] as const] : [])));
      let open = 0;
      for (const r of records) {
        if (r.kind !== "video") continue;
        const source = loop[loopFrameForOutput(p.plan!, r.frame, 25)]!.data as Uint8Array;
        const got = new Uint8Array((await sharp(r.data).raw().toBuffer({ resolveWithObject: true })).data);
        // The source's own noise here: the same loop frame through the same JPEG encoder.
        const plain = new Uint8Array((await sharp(await encodeJpeg(source, VIDEO_SIZE, 75)).raw().toBuffer()));
        const noise = worstBlockOutside(source, plain, VIDEO_SIZE, box, 4, 3);
        expect(worstBlockOutside(source, got, VIDEO_SIZE, box, 4, 3), `frame ${r.frame} outside the mouth`).toBeLessThanOrEqual(noise + 1);
        if ((mouths.get(r.frame)?.jawOpen ?? 0) > 0.3) {
          open++;
          expect(meanDiff(source, got, VIDEO_SIZE, tight, true, 4, 3), `frame ${r.frame} mouth`).toBeGreaterThan(meanDiff(source, plain, VIDEO_SIZE, tight, true, 4, 3) + 3);
        }
      }
      expect(open).toBeGreaterThan(3);
      // The dashboard's player gets the loop (URL and plan) to decode once and warp in the browser.
      const drawn = await platformRig({ db: world.db, user: { id: "usr_test" }, tenant: { id: world.caller.tenantId }, log: logger }, avatarId);
      expect(drawn).toMatchObject({ rig: { kind: rig.kind }, video: { loopUrl: expect.stringMatching(/^\/files\//), plan: { output: p.plan!.output } } });
      expect(drawn).not.toHaveProperty("portraitUrl");
      // An unknown video cache id is refused before anything is held.
      const wrong = await callRoute(world.routes.turn, { method: "POST", path: "/api/v1/realtime/turn", key: key(), body: { avatar_id: avatarId, mode: "speak_text", text: "Hi.", video_cache_id: "vc_nope" } });
      expect(wrong.status).toBe(404);
    });

    it("a lipsync MP4 on the video avatar moves the mouth and leaves the rest of each frame as the silent loop through the same encoder", async () => {
      const port = Number(new URL(base).port);
      const deps = { storage: getStorage(), limits: DEFAULT_LIMITS, baseUrl: "http://app.test", policy: (address: string, p: number) => (address === "127.0.0.1" && p === port ? { ok: true as const } : checkPublicAddress(address)) };
      const result = await runLipsync(world.db, { tenantId: world.caller.tenantId, environment: "test", apiKeyId: null, log: logger }, { audioUrl: `${base}/speech.wav`, avatarId }, deps);
      const asset = await findAssetByToken(world.db, new URL(result.url).pathname.split("/").at(-1)!);
      const path = join(dir, "lipsync.mp4");
      writeFileSync(path, await readAssetBytes(asset!));
      const size = 384;
      const rig = await rigOf(avatarId);
      const [box, tight] = [mouthBox(rig, size), tightMouth(rig, size)];
      const p = await readyPlan({ avatar_id: avatarId });
      const loop = await loopOf(p, size);
      // The source's own noise through the same encoder: the loop rendered silent (untouched frames) into an MP4 alike.
      const silent = join(dir, "silent.mp4");
      const model = compileRig(rig);
      await renderMp4({ model, video: new SourceVideoRenderer(model, loop, p.plan!), track: Array.from({ length: result.frames * 4 + 4 }, () => RESTING_MOUTH), out: silent, audio: join(process.cwd(), "public/demo/speech.wav"), size, fps: 25, frames: result.frames });
      const measure = async (file: string) => {
        const outside: number[] = [];
        const mouth: number[] = [];
        let n = 0;
        for await (const rgb of decodeFrames(file, { fps: 25, width: size, height: size, maxFrames: 2000, maxSeconds: 200 })) {
          const source = loop[loopFrameForOutput(p.plan!, n++, 25)]!.data as Uint8Array;
          outside.push(worstBlockOutside(source, rgb, size, box, 4, 3));
          mouth.push(meanDiff(source, rgb, size, tight, true, 4, 3));
        }
        return { outside, mouth, n };
      };
      const spoken = await measure(path);
      const plain = await measure(silent);
      expect(spoken.n).toBe(result.frames);
      expect(plain.n).toBe(result.frames);
      expect(Math.max(...spoken.mouth)).toBeGreaterThan(Math.max(...plain.mouth) + 6);
      expect(Math.max(...spoken.outside)).toBeLessThanOrEqual(Math.max(...plain.outside) + 1.5);
    });
  });

  if (!opts.refusals) return;
  describe(`source-video refusals (${kind})`, () => {
    const cases: [string, () => Promise<string>, string][] = [
      ["too short (1 s)", () => idleClip(join(dir, "short.mp4"), { seconds: 1 }), "video_too_short"],
      ["too long (61 s)", () => colourClip(join(dir, "long.mp4"), 61, { size: "64x64", fps: 2 }), "video_too_long"],
      ["too large (4096 px wide)", () => oversizeClip(join(dir, "large.mp4")), "video_too_large"],
      ["no face (a colour card)", () => colourClip(join(dir, "colour.mp4"), 4), "video_face_not_found"],
      ["the face leaving the frame (a pan)", () => panAwayClip(join(dir, "pan.mp4")), "video_face_left_frame"],
      ["a cut (two clips joined)", () => cutClip(dir), "video_scene_cut"],
      ["a second person taking over (a dissolve to another face)", () => takeoverClip(dir), "video_face_changed"],
    ];
    for (const [what, make, code] of cases) {
      it(`refuses ${what}: ${code}, with what to change`, async () => {
        const id = await createVideoAvatar(await make());
        const done = await settled(id);
        expect(done.status).toBe("failed");
        expect(done.failureReason).toMatch(new RegExp(`^${code}: .*(Use|Record|Trim|Scale|trim)`));
        if (code === "video_scene_cut") {
          const res = await callRoute(world.routes.prepare, { method: "POST", path: "/api/v1/realtime/prepare", key: key(), body: { avatar_id: id } });
          expect(res.status).toBe(422);
          expect(await res.json()).toMatchObject({ code, retryable: false });
          const planned = await callPlan({ avatar_id: id });
          expect(planned.status).toBe(422);
          expect(await planned.json()).toMatchObject({ code: "video_not_usable" });
        }
      });
    }
  });
}
