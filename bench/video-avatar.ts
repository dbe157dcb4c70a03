/**
 * npm run bench:video-avatar — source-video avatar figures:
 *   preparation   ms of analysis (decode + face tracking + checks + rig) and loop rendering per second
 *                 of source video, for a clip made here (the fixture's idle motion, 288 px, 25 fps)
 *   server CPU    ms per rendered 512x512 frame on the loop (texture swap + deform + pose + rasterise),
 *                 and incl. JPEG encoding (one libvips thread); process CPU time next to wall time
 *   browser       ms per 512x512 loop frame in headless Chromium: WebGPU on SwiftShader, and canvas2d
 *
 *   --seconds N   length of the source clip (default 10)     --frames N   frames per timing loop (default 200)
 *   --skip-browser
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { compileRig } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { SourceVideoRenderer } from "@/core/video/video-frames";
import { encodeJpeg } from "@/server/render/frame-encoder";
import { analyseVideo } from "@/server/video-avatar/analyse";
import { FIXTURE_PORTRAIT, idleClip } from "@/server/video-avatar/testing/clips";
import { launchChromium, openHarness, startRenderHarness } from "@/server/render/browser-harness";
import { computePlan } from "@/server/services/video-avatars/caches";
import { decodeLoop, writeLoopMp4 } from "@/server/services/video-avatars/loop-video";

const argv = process.argv.slice(2);
const arg = (name: string, dflt: number) => Number(argv[argv.indexOf(name) + 1] || dflt) || dflt;
const SECONDS = arg("--seconds", 10);
const FRAMES = arg("--frames", 200);
const S = 512;
sharp.concurrency(1);
const fmt = (v: number) => v.toFixed(2);
const line = (what: string, value: string, note = "") => console.log(`${what.padEnd(52)} ${value.padStart(10)}  ${note}`);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "tic-bench-video-"));
  try {
    const clip = await idleClip(join(dir, "clip.mp4"), { seconds: SECONDS, fps: 25 });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const analysis = await analyseVideo(clip);
    const analyseMs = performance.now() - t0;
    const plan = computePlan(analysis, { size: S });
    const loopPath = join(dir, "loop.mp4");
    const l0 = performance.now();
    await writeLoopMp4(clip, { fps: analysis.fps, width: analysis.width, height: analysis.height, crop: analysis.rig.crop }, plan, loopPath);
    const loopMs = performance.now() - l0;
    const cpu = process.cpuUsage(c0);
    line(`preparation: analysis, per second of video (${SECONDS} s clip)`, `${fmt(analyseMs / SECONDS)} ms`, `steps ${JSON.stringify(analysis.timings)}`);
    line("preparation: + loop render (512 px), per second of video", `${fmt((analyseMs + loopMs) / SECONDS)} ms`, `cpu time ${fmt((cpu.user + cpu.system) / 1000 / SECONDS)} ms/s (ffmpeg's own threads not counted)`);
    line("  landmarks per tracked frame (288 px frames)", `${fmt(analysis.timings.detectMs! / analysis.timings.trackedFrames!)} ms`, `${analysis.timings.trackedFrames} of ${analysis.timings.frames} frames tracked`);

    const frames = await decodeLoop(loopPath, S, plan.output.fps, plan.rigTrack.length);
    const model = compileRig(analysis.rig);
    const video = new SourceVideoRenderer(model, frames, plan);
    const out = new Uint8Array(S * S * 4);
    const mouth = (i: number) => ({ ...RESTING_MOUTH, jawOpen: 0.5 + 0.5 * Math.sin(i * 0.7), lipWidth: 0.3, lipsPressed: i % 9 === 0 ? 1 : 0 });
    const timed = async (fn: (i: number) => unknown) => {
      for (let i = 0; i < 20; i++) await fn(i);
      const c = process.cpuUsage();
      const w = performance.now();
      for (let i = 0; i < FRAMES; i++) await fn(i);
      const d = process.cpuUsage(c);
      return { wall: (performance.now() - w) / FRAMES, cpu: (d.user + d.system) / 1000 / FRAMES };
    };
    const r = await timed((i) => video.draw(i, 25, mouth(i), out));
    const j = await timed(async (i) => {
      video.draw(i, 25, mouth(i), out);
      await encodeJpeg(out, S);
    });
    const silent = await timed((i) => video.draw(i, 25, RESTING_MOUTH, out));
    line("server CPU, speech frame on the loop (512x512)", `${fmt(r.cpu)} ms`, `cpu time (wall ${fmt(r.wall)} ms), target <= 10 ms`);
    line("server CPU, + JPEG encode (one thread)", `${fmt(j.cpu)} ms`, `cpu time (wall ${fmt(j.wall)} ms)`);
    line("server CPU, silent frame (the loop frame itself)", `${fmt(silent.cpu)} ms`, `cpu time (wall ${fmt(silent.wall)} ms)`);
    line("loop", `${plan.loop.frames} frames`, `${plan.loop.mode}, ${plan.loop.startSec}-${plan.loop.endSec} s, seam ${plan.loop.seamDiff} vs own p95 ${plan.loop.frameDiffP95}`);
    if (!argv.includes("--skip-browser")) {
      const harness = await startRenderHarness(analysis.rig, readFileSync(FIXTURE_PORTRAIT), { mp4: readFileSync(loopPath), plan });
      const browser = await launchChromium({ webgpu: true });
      try {
        for (const tier of ["webgpu", "canvas2d"] as const) {
          const page = await browser.newPage();
          const info = await openHarness(page, harness.url, tier, "video=1");
          const ms = await page.evaluate((n) => window.__tic!.render!.bench(n), FRAMES);
          const after = await page.evaluate(() => window.__tic!.render!.tier);
          const label = after === info.tier ? info.tier : `${info.tier} -> ${after} (fell back!)`;
          line(`browser ${label}, speech frame on the loop, 512x512`, `${fmt(ms)} ms`, `${info.adapter ?? ""} (wall, GPU completion awaited)`);
          await page.close();
        }
      } finally {
        await browser.close();
        await harness.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
