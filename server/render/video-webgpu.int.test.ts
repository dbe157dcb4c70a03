// A source-video avatar in Chromium: the loop decoded once by the page (<video>), drawn per frame by
// WebGPU (SwiftShader) and by the canvas2d tier, against the server's CPU frames of the same loop.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FrameInput } from "@/core/render/deform";
import { compileRig } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import type { RgbaImage } from "@/core/render/raster";
import type { VideoPlan } from "@/core/video/loop-plan";
import { SourceVideoRenderer } from "@/core/video/video-frames";
import type { VideoAnalysis } from "@/server/video-avatar/analyse";
import { analyseVideo } from "@/server/video-avatar/analyse";
import { FIXTURE_PORTRAIT, idleClip } from "@/server/video-avatar/testing/clips";
import { computePlan } from "@/server/services/video-avatars/caches";
import { decodeLoop, writeLoopMp4 } from "@/server/services/video-avatars/loop-video";
import { launchChromium, openHarness, psnr, renderInPage, startRenderHarness } from "./browser-harness";

const S = 256;
const dir = mkdtempSync(join(tmpdir(), "tic-video-gpu-"));
let analysis: VideoAnalysis;
let plan: VideoPlan;
let loop: RgbaImage[];
let harness: Awaited<ReturnType<typeof startRenderHarness>>;
let browser: Browser;

beforeAll(async () => {
  const clip = await idleClip(join(dir, "clip.mp4"), { seconds: 4, fps: 10 });
  analysis = await analyseVideo(clip);
  plan = computePlan(analysis, { size: S });
  const mp4 = join(dir, "loop.mp4");
  await writeLoopMp4(clip, { fps: analysis.fps, width: analysis.width, height: analysis.height, crop: analysis.rig.crop }, plan, mp4);
  loop = await decodeLoop(mp4, S, plan.output.fps, plan.rigTrack.length);
  harness = await startRenderHarness(analysis.rig, readFileSync(FIXTURE_PORTRAIT), { mp4: readFileSync(mp4), plan });
  browser = await launchChromium({ webgpu: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The server's frame for the loop frame shown at `timeSec` with `mouth`. */
function cpuFrame(f: FrameInput): Uint8Array {
  const r = new SourceVideoRenderer(compileRig(analysis.rig), loop, plan);
  const out = new Uint8Array(S * S * 4);
  r.draw(Math.floor(f.idle.timeSec * plan.output.fps + 1e-6), plan.output.fps, f.mouth, out);
  return out;
}

const at = (k: number, mouth = RESTING_MOUTH): FrameInput => ({ mouth, idle: { timeSec: (k + 0.5) / plan.output.fps, listening: 0 } });
const open = { ...RESTING_MOUTH, jawOpen: 0.8, lipWidth: 0.3 };

describe("source-video avatars in the browser", () => {
  for (const tier of ["webgpu", "canvas2d"] as const) {
    it(`${tier}: silent frames are the loop's own frames, speech opens the mouth on each, as on the server (PSNR >= 36 dB)`, async () => {
      const page = await browser.newPage();
      const info = await openHarness(page, harness.url, tier, "video=1");
      expect(info.tier).toBe(tier);
      for (const k of [0, Math.floor(plan.rigTrack.length / 2), plan.rigTrack.length - 1]) {
        const silent = await renderInPage(page, at(k));
        const speaking = await renderInPage(page, at(k, open));
        // Decoded by Chromium vs by ffmpeg: the same frames up to the decoders' colour rounding (42-45 dB measured).
        expect(psnr(silent, cpuFrame(at(k)))).toBeGreaterThanOrEqual(36);
        expect(psnr(speaking, cpuFrame(at(k, open)))).toBeGreaterThanOrEqual(36);
        // The open mouth is a visible change (~25 dB against the silent frame, measured).
        expect(psnr(silent, speaking)).toBeLessThan(32);
      }
      await page.close();
    }, 120_000);
  }
});
