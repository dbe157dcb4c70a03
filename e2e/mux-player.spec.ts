import { build } from "esbuild";
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { framesUntil, MuxWriter } from "../core/mux";

// The SDK's AvatarPlayer in a real browser with real Web Audio: a mux served over HTTP plays on the
// AudioContext clock, drawing motion records (client tiers) or JPEG video records (server tier).
// The page is served by the test itself, with the SDK bundled from source by esbuild.

const ORIGIN = "http://sdk.test";
const SAMPLE_RATE = 24_000;
const FPS = 25;
const SECONDS = 2;
const SIZE = 64;

/** Frame f is a flat colour whose red channel encodes f, so the canvas tells which frame is on screen. */
const colourOf = (f: number) => ({ r: (f * 5) % 256, g: 80, b: 160 });

async function turn(video: boolean): Promise<Buffer> {
  const w = new MuxWriter({ sampleRate: SAMPLE_RATE, fps: FPS, width: video ? SIZE : 0, height: video ? SIZE : 0, videoCodec: video ? "jpeg" : "none", avatarId: "ava_e2e", manifestId: null, manifestVersion: 1 });
  const parts: Uint8Array[] = [w.start(), w.state("speaking", 0), w.text("Testing one two.", 0)];
  const chunk = SAMPLE_RATE / 5;
  let frame = 0;
  for (let at = 0; at < SECONDS * SAMPLE_RATE; at += chunk) {
    parts.push(w.audio(Int16Array.from({ length: chunk }, (_, i) => Math.round(6000 * Math.sin(((at + i) * 2 * Math.PI * 200) / SAMPLE_RATE)))));
    for (const end = framesUntil(at + chunk, SAMPLE_RATE, FPS); frame < end; frame++) {
      if (video) {
        const jpeg = await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: colourOf(frame) } }).jpeg({ quality: 95 }).toBuffer();
        parts.push(w.video(frame, new Uint8Array(jpeg)));
      } else {
        parts.push(w.motion(frame, { jawOpen: (frame % 10) / 10, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 }));
      }
    }
    parts.push(w.usage());
  }
  parts.push(w.state("idle"), w.end());
  return Buffer.concat(parts);
}

const PAGE = `<!doctype html><html><body>
<button id="go">play</button><canvas id="c" width="${SIZE}" height="${SIZE}"></canvas>
<script type="module">
import { AvatarPlayer, CanvasVideoSink } from "/sdk.js";
window.run = (path) => new Promise((resolve) => {
  document.getElementById("go").onclick = async () => {
    const ctx = new AudioContext();
    const draws = [];
    const video = path.includes("video");
    const sink = video ? new CanvasVideoSink(document.getElementById("c")) : {
      tier: "webgpu",
      drawMotion: (m, t) => draws.push({ t, jawOpen: m.jawOpen }),
      drawVideo: () => {},
    };
    const player = new AvatarPlayer({ sink, audioContext: ctx });
    const result = await player.play(await fetch(path));
    const px = video ? Array.from(document.getElementById("c").getContext("2d").getImageData(SIZE / 2, SIZE / 2, 1, 1).data) : null;
    resolve({ reason: result.reason, stats: result.stats, draws: draws.length, px });
  };
});
const SIZE = ${SIZE};
</script></body></html>`;

async function servePage(page: Page): Promise<void> {
  const sdk = await build({ entryPoints: ["packages/sdk/src/index.ts"], bundle: true, format: "esm", write: false, platform: "browser", target: "es2022" });
  const bodies: Record<string, { body: Buffer | string; type: string }> = {
    "/": { body: PAGE, type: "text/html" },
    "/sdk.js": { body: Buffer.from(sdk.outputFiles[0]!.contents), type: "text/javascript" },
    "/motion.mux": { body: await turn(false), type: "application/x-avatar-mux" },
    "/video.mux": { body: await turn(true), type: "application/x-avatar-mux" },
  };
  await page.route(`${ORIGIN}/**`, (route) => {
    const hit = bodies[new URL(route.request().url()).pathname];
    return hit ? route.fulfill({ body: hit.body, contentType: hit.type }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${ORIGIN}/`);
}

async function play(page: Page, path: string) {
  const result = page.evaluate((p) => (window as unknown as { run: (p: string) => Promise<unknown> }).run(p), path);
  await page.click("#go"); // a user gesture: browsers only start audio from one
  const r = (await result) as { reason: string; stats: { framesDrawn: number; droppedFrames: number; lateFrames: number; maxAvOffsetMs: number; playedSeconds: number; tier: string; text: string; renderedSeconds: number }; draws: number; px: number[] | null };
  console.log(`${path}: ${JSON.stringify(r.stats)}`);
  return r;
}

test.describe("AvatarPlayer in Chromium", () => {
  test("plays motion records on the Web Audio clock", async ({ page }) => {
    await servePage(page);
    const r = await play(page, "/motion.mux");
    expect(r.reason).toBe("ended");
    expect(r.stats.playedSeconds).toBeCloseTo(SECONDS, 1);
    expect(r.stats.renderedSeconds).toBe(SECONDS);
    expect(r.stats.text).toBe("Testing one two.");
    expect(r.stats.framesDrawn + r.stats.droppedFrames).toBe(SECONDS * FPS);
    // Drawn on display frames: a frame is never shown before its time, and at most ~2 display frames after.
    expect(r.stats.maxAvOffsetMs).toBeLessThan(60);
    expect(r.stats.lateFrames).toBeLessThanOrEqual(Math.ceil(0.1 * r.stats.framesDrawn));
    expect(r.draws).toBe(r.stats.framesDrawn + 1); // + the resting mouth at the end
  });

  test("draws JPEG video records for the server tier", async ({ page }) => {
    await servePage(page);
    const r = await play(page, "/video.mux");
    expect(r.reason).toBe("ended");
    expect(r.stats.tier).toBe("server");
    expect(r.stats.framesDrawn).toBeGreaterThan(SECONDS * FPS * 0.5);
    // The canvas holds the last frame (JPEG-coded colour, so within a few levels).
    const last = colourOf(SECONDS * FPS - 1);
    expect(Math.abs(r.px![0]! - last.r)).toBeLessThan(8);
    expect(Math.abs(r.px![2]! - last.b)).toBeLessThan(8);
  });
});
