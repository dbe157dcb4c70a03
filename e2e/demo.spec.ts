import { readFileSync } from "node:fs";
import { chromium, expect, test, type Page, type TestInfo } from "@playwright/test";
import sharp from "sharp";
import type {} from "../workers/test-hooks";
import { TURN_FPS } from "../core/turn/turn-records";
import { NO_WEBGPU_LAUNCH } from "./chromium";

// The public demo speaks the sample clip in the browser: lipsync worker → mux → AvatarPlayer →
// render worker. The test reads the frame on screen back from the render worker (the page's
// window.__tic.stage.snapshot(), installed as the e2e servers set ENABLE_LAB; headless screenshots do not show a worker's WebGPU canvas) and checks
// the mouth against the clip's own speech/silence envelope.

const CLIP = new URL("../public/demo/speech.wav", import.meta.url);

type Shot = { t: number; width: number; height: number; rgba: string };
type Frame = { t: number; rgb: Uint8Array; width: number; height: number };
type Box = [number, number, number, number];

/**
 * Speech and silence of a 16-bit mono WAV from 50 ms RMS windows: speech = loud windows with dips
 * under 300 ms bridged (consonants, short pauses); silence = quiet stretches of at least 600 ms.
 */
function speechRuns(wav: Buffer): { speech: [number, number][]; silence: [number, number][] } {
  const dataAt = wav.indexOf("data") + 8;
  const rate = wav.readUInt32LE(24);
  const n = Math.floor((wav.length - dataAt) / 2);
  const win = Math.round(rate * 0.05);
  const rms: number[] = [];
  for (let w = 0; w * win < n; w++) {
    let sum = 0;
    const end = Math.min(n, (w + 1) * win);
    for (let i = w * win; i < end; i++) sum += (wav.readInt16LE(dataAt + 2 * i) / 32768) ** 2;
    rms.push(Math.sqrt(sum / (end - w * win)));
  }
  const runsOf = (pred: (r: number) => boolean): [number, number][] => {
    const out: [number, number][] = [];
    rms.forEach((r, w) => {
      if (!pred(r)) return;
      const last = out.at(-1);
      if (last && w * 0.05 - last[1] < 1e-9) last[1] = (w + 1) * 0.05;
      else out.push([w * 0.05, (w + 1) * 0.05]);
    });
    return out;
  };
  const speech: [number, number][] = [];
  for (const run of runsOf((r) => r > 0.02)) {
    const last = speech.at(-1);
    if (last && run[0] - last[1] < 0.3) last[1] = run[1];
    else speech.push([...run]);
  }
  const silence = runsOf((r) => r < 0.005).filter(([a, b]) => b - a >= 0.6);
  return { speech, silence };
}

/** The frame on screen, stamped with the player's audio position (decoded later: sampling stays dense). */
async function shoot(page: Page): Promise<Shot> {
  return page.evaluate(() => window.__tic!.stage!.snapshot());
}

function decode(shot: Shot): Frame {
  const rgba = Buffer.from(shot.rgba, "base64");
  const rgb = new Uint8Array(shot.width * shot.height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
  return { t: shot.t, rgb, width: shot.width, height: shot.height };
}

/** Mean absolute RGB difference inside `box`, or outside the head ellipse when `outsideHead` is set. */
function diff(a: Frame, b: Frame, box: Box | null, head?: [number, number, number, number]): number {
  let sum = 0;
  let count = 0;
  const [x0, y0, x1, y1] = box ?? [0, 0, a.width - 1, a.height - 1];
  for (let y = Math.max(0, y0); y <= Math.min(a.height - 1, y1); y++) {
    for (let x = Math.max(0, x0); x <= Math.min(a.width - 1, x1); x++) {
      if (head) {
        // 15% margin: the neck and the soft edge of the moving region are not background.
        const [cx, cy, rx, ry] = head;
        if (((x - cx) / (rx * 1.15)) ** 2 + ((y - cy) / (ry * 1.15)) ** 2 <= 1) continue;
      }
      const o = 3 * (y * a.width + x);
      sum += Math.abs(a.rgb[o]! - b.rgb[o]!) + Math.abs(a.rgb[o + 1]! - b.rgb[o + 1]!) + Math.abs(a.rgb[o + 2]! - b.rgb[o + 2]!);
      count += 3;
    }
  }
  return count ? sum / count : 0;
}

function inside(t: number, runs: [number, number][], margin: number): boolean {
  return runs.some(([a, b]) => b - a > 2 * margin && t > a + margin && t < b - margin);
}

/** Saves a frame as a PNG in the test's output folder (kept as an artifact) and attaches it to the report. */
async function attach(info: TestInfo, name: string, frame: Frame): Promise<void> {
  const path = info.outputPath(name);
  await sharp(Buffer.from(frame.rgb), { raw: { width: frame.width, height: frame.height, channels: 3 } }).png().toFile(path);
  await info.attach(name, { path, contentType: "image/png" });
}

const CLIP_RUNS = speechRuns(readFileSync(CLIP));
// Margins cover the 100 ms stats cadence, audio output latency and the mouth's closing glide.
const isSpeech = (t: number) => inside(t, CLIP_RUNS.speech, 0.05);
const isPause = (t: number) => inside(t, CLIP_RUNS.silence, 0.25);

/**
 * Opens /demo, waits for the renderer and plays the sample clip, sampling the frame on screen until
 * it ends. Sampling speed depends on the machine's load, so it plays again (up to 3 times) until
 * there are enough samples in speech and in pauses to judge.
 */
async function playAndSample(page: Page, info: TestInfo, expectedTier: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/demo");
  await expect(page.getByTestId("demo-tier")).not.toHaveText("—", { timeout: 120_000 });
  await expect(page.getByTestId("demo-tier")).toHaveText(expectedTier);
  const canvas = page.getByTestId("demo-canvas");
  const mouth = (await canvas.getAttribute("data-mouth-box"))!.split(",").map(Number) as Box;
  const head = (await canvas.getAttribute("data-head"))!.split(",").map(Number) as [number, number, number, number];
  // Pad the mouth box: the jaw and lower lip move below the closed lips.
  const h = mouth[3] - mouth[1];
  const mouthBox: Box = [mouth[0] - 4, mouth[1] - 4, mouth[2] + 4, mouth[3] + 2 * h + 8];
  await expect.poll(() => page.evaluate(() => typeof window.__tic?.stage)).toBe("object");
  const rest = decode(await shoot(page));
  expect(rest.width).toBe(512);
  await attach(info, `${expectedTier}-rest.png`, rest);

  const shots: Shot[] = [];
  const after: Shot[] = [];
  for (let play = 0; play < 3; play++) {
    await page.getByTestId("demo-play").click();
    await expect(page.getByTestId("demo-status")).toHaveText("playing", { timeout: 120_000 });
    while ((await page.getByTestId("demo-status").textContent()) === "playing") shots.push(await shoot(page));
    await expect(page.getByTestId("demo-status")).toHaveText("done");
    // After the clip the avatar is idle: these frames belong to the trailing silence.
    for (let i = 0; i < 2; i++) {
      await page.waitForTimeout(200);
      after.push(await shoot(page));
    }
    if (shots.filter((x) => isSpeech(x.t)).length >= 4 && shots.filter((x) => isPause(x.t)).length >= 2) break;
  }
  const pagePath = info.outputPath(`${expectedTier}-page.png`);
  await page.screenshot({ path: pagePath });
  await info.attach(`${expectedTier}-page.png`, { path: pagePath, contentType: "image/png" });
  return { rest, frames: shots.map(decode), after: after.map(decode), mouthBox, head };
}

function judge(run: Awaited<ReturnType<typeof playAndSample>>) {
  const score = (f: Frame) => ({ f, mouth: diff(f, run.rest, run.mouthBox), background: diff(f, run.rest, null, run.head) });
  const scored = run.frames.map(score);
  console.log(`samples (t, mouth, background): ${scored.map((s) => `${s.f.t.toFixed(2)}:${s.mouth.toFixed(1)}/${s.background.toFixed(2)}`).join(" ")}`);
  const speech = scored.filter((s) => isSpeech(s.f.t));
  const pause = scored.filter((s) => isPause(s.f.t));
  const after = run.after.map(score);
  return { scored: [...scored, ...after], speech, silence: [...pause, ...after], pause };
}

/** Every motion frame of the clip was either drawn or knowingly skipped, and few were late. */
async function expectWholeClip(page: Page): Promise<void> {
  const wav = readFileSync(CLIP);
  const seconds = (wav.length - (wav.indexOf("data") + 8)) / 2 / wav.readUInt32LE(24);
  const drawn = Number(await page.getByTestId("demo-frames").textContent());
  const [late, dropped] = (await page.getByTestId("demo-late").textContent())!.split(" / ").map(Number) as [number, number];
  // The demo muxes motion at a realtime turn's frame rate; the last frame or two may fall after the final audio tick.
  expect(drawn + dropped).toBeGreaterThanOrEqual(Math.floor(seconds * TURN_FPS) - 2);
  expect(late, "frames drawn more than one frame period late").toBeLessThanOrEqual(Math.ceil(0.05 * drawn));
  expect(Number(await page.getByTestId("demo-time").textContent())).toBeGreaterThanOrEqual(seconds - 0.05);
}

test.describe("public demo", () => {
  test("speaks the sample clip on WebGPU: mouth moves with speech, rests in silence, background still", async ({ page }, info) => {
    test.setTimeout(180_000);
    const run = await playAndSample(page, info, "webgpu");
    const { speech, silence, pause, scored } = judge(run);
    expect(speech.length, "canvas samples during speech").toBeGreaterThanOrEqual(3);
    expect(pause.length, "canvas samples in the clip's pauses").toBeGreaterThanOrEqual(1);
    const open = speech.reduce((a, b) => (b.mouth > a.mouth ? b : a));
    const quiet = Math.max(...silence.map((s) => s.mouth));
    await attach(info, "webgpu-mouth-open.png", open.f);
    await attach(info, "webgpu-silence.png", (pause[0] ?? silence[0]!).f);
    info.annotations.push({ type: "mouth", description: `max speech diff ${open.mouth.toFixed(2)}, max silence diff ${quiet.toFixed(2)}` });
    expect(open.mouth, "mouth region changes while speech plays").toBeGreaterThan(4);
    expect(quiet, "mouth rests in silence").toBeLessThan(open.mouth / 3);
    expect(Math.max(...scored.map((s) => s.background)), "background outside the head stays put").toBeLessThan(0.5);

    await expectWholeClip(page);
    // Still on WebGPU after a whole clip: no device loss or validation error sent it to the fallback.
    await expect(page.getByTestId("demo-tier")).toHaveText("webgpu");
  });

  test("without WebGPU the fallback tier plays the same clip", async ({ baseURL }, info) => {
    test.setTimeout(180_000);
    const browser = await chromium.launch(NO_WEBGPU_LAUNCH);
    try {
      const page = await browser.newPage({ baseURL });
      const run = await playAndSample(page, info, "canvas2d");
      const { speech, silence } = judge(run);
      expect(speech.length).toBeGreaterThanOrEqual(2);
      const open = speech.reduce((a, b) => (b.mouth > a.mouth ? b : a));
      await attach(info, "canvas2d-mouth-open.png", open.f);
      expect(open.mouth).toBeGreaterThan(4);
      expect(Math.max(...silence.map((s) => s.mouth))).toBeLessThan(open.mouth / 3);
      await expectWholeClip(page);
    } finally {
      await browser.close();
    }
  });
});

test("an uploaded portrait and a recorded microphone clip play too", async ({ baseURL }, info) => {
  test.setTimeout(180_000);
  // Chromium's fake capture device: a microphone that plays a beep, granted without a prompt.
  const browser = await chromium.launch({ ...NO_WEBGPU_LAUNCH, args: [...NO_WEBGPU_LAUNCH.args, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"] });
  try {
    const page = await browser.newPage({ baseURL });
    await page.goto("/demo");
    await expect(page.getByTestId("demo-tier")).toHaveText("canvas2d", { timeout: 120_000 });
    const firstHead = await page.getByTestId("demo-canvas").getAttribute("data-head");

    // A different portrait (the fixture mirrored): a new rig is prepared and a new canvas drawn.
    const mirrored = await sharp(readFileSync(new URL("../public/demo/astronaut.png", import.meta.url))).flop().png().toBuffer();
    await page.getByTestId("demo-portrait-input").setInputFiles({ name: "mirrored.png", mimeType: "image/png", buffer: mirrored });
    await expect(page.getByTestId("demo-canvas")).not.toHaveAttribute("data-head", firstHead!, { timeout: 120_000 });
    await expect(page.getByTestId("demo-tier")).toHaveText("canvas2d", { timeout: 120_000 });

    await page.getByTestId("demo-record").click();
    await page.waitForTimeout(2_000);
    await page.getByTestId("demo-record").click();
    await expect(page.getByTestId("demo-clip-name")).toHaveText("microphone clip");
    await page.getByTestId("demo-play").click();
    await expect(page.getByTestId("demo-status")).toHaveText("done", { timeout: 120_000 });
    expect(Number(await page.getByTestId("demo-time").textContent())).toBeGreaterThan(1);
    expect(Number(await page.getByTestId("demo-frames").textContent())).toBeGreaterThan(10);
    const frame = decode(await shoot(page));
    await attach(info, "mirrored-portrait.png", frame);
  } finally {
    await browser.close();
  }
});
