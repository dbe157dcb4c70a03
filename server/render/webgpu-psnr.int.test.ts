import { mkdirSync, readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "@playwright/test";
import { deformFrame, type FrameInput } from "@/core/render/deform";
import { expressionOf } from "@/core/render/expression";
import { compileRig } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { SoftwareRasterizer } from "@/core/render/raster";
import type { Rig } from "@/core/render/rig";
import { launchChromium, openHarness, psnr, renderInPage, startRenderHarness } from "./browser-harness";
import { framedPortrait } from "./framing";

// The same frames through Chromium's WebGPU (SwiftShader) and through the server's CPU rasteriser.
const png = readFileSync(new URL("../../public/demo/astronaut.png", import.meta.url));
const rig = JSON.parse(readFileSync(new URL("../../public/demo/astronaut.rig.json", import.meta.url), "utf8")) as Rig;
const artifacts = new URL("../../artifacts/render/", import.meta.url);
const S = 512;

const FRAMES: Record<string, FrameInput> = {
  open: { mouth: { ...RESTING_MOUTH, jawOpen: 0.9, lipWidth: 0.3, upperLipRaise: 0.2 }, idle: { timeSec: 2.1, listening: 0 } },
  "mid-vowel": { mouth: { ...RESTING_MOUTH, jawOpen: 0.45, lipWidth: 0.5, upperLipRaise: 0.1 }, idle: { timeSec: 5.4, listening: 0 } },
  closed: { mouth: { ...RESTING_MOUTH, lipsPressed: 1 }, idle: { timeSec: 8.8, listening: 1 } },
  "oo-rounded": { mouth: { ...RESTING_MOUTH, jawOpen: 0.25, pucker: 1 }, idle: { timeSec: 11.2, listening: 0 } },
  // Emotions and speech gestures with the mouth open: the same face parameters through both tiers.
  "happy-open": {
    mouth: { ...RESTING_MOUTH, jawOpen: 0.8, lipWidth: 0.4, upperLipRaise: 0.2 },
    idle: { timeSec: 3.3, listening: 0 },
    face: { expression: expressionOf("happy"), gesture: { brow: 0, nod: 0.4 } },
  },
  "serious-talk": {
    mouth: { ...RESTING_MOUTH, jawOpen: 0.5, lipWidth: 0.2 },
    idle: { timeSec: 7.7, listening: 0 },
    face: { expression: expressionOf("serious"), gesture: { brow: 0.8, nod: 0.2 } },
  },
  "curious-open": {
    mouth: { ...RESTING_MOUTH, jawOpen: 0.9, upperLipRaise: 0.1 },
    idle: { timeSec: 14.6, listening: 0 },
    face: { expression: expressionOf("curious"), gesture: { brow: 0.3, nod: 0 } },
  },
};

let harness: Awaited<ReturnType<typeof startRenderHarness>>;
let browser: Browser;
let cpu: (f: FrameInput) => Uint8Array;

beforeAll(async () => {
  harness = await startRenderHarness(rig, png);
  browser = await launchChromium({ webgpu: true });
  const model = compileRig(rig);
  const raster = new SoftwareRasterizer(model, await framedPortrait(png, rig, S));
  cpu = (f) => {
    const out = new Uint8Array(S * S * 4);
    raster.render(deformFrame(model, f), out);
    return out;
  };
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const save = (name: string, rgba: Uint8Array) =>
  sharp(Buffer.from(rgba), { raw: { width: S, height: S, channels: 4 } }).png().toFile(new URL(name, artifacts).pathname);

describe("browser renderer vs server renderer", () => {
  it("WebGPU in Chromium draws the same frames as the server CPU (PSNR >= 35 dB), screenshots saved", async () => {
    const page = await browser.newPage();
    const info = await openHarness(page, harness.url);
    expect(info.tier).toBe("webgpu");
    for (const [name, frame] of Object.entries(FRAMES)) {
      const gpu = await renderInPage(page, frame);
      const ref = cpu(frame);
      await save(`webgpu-${name}.png`, gpu);
      await save(`cpu-${name}.png`, ref);
      const db = psnr(gpu, ref);
      console.log(`PSNR WebGPU vs CPU, ${name}: ${db.toFixed(2)} dB`);
      expect(db, name).toBeGreaterThanOrEqual(35);
      // And the frame is not simply the portrait: the face moved.
      expect(psnr(gpu, new Uint8Array(await sharp(png).ensureAlpha().raw().toBuffer())), name).toBeLessThan(45);
    }
    // Still on WebGPU after drawing: no validation error or lost device sent it to the CPU tier.
    expect(await page.evaluate(() => window.__tic!.render!.tier)).toBe("webgpu");
    await page.close();
  });

  it("falls back to the canvas2d tier without WebGPU and still draws the same frames", async () => {
    const plain = await launchChromium({ webgpu: false });
    try {
      const page = await plain.newPage();
      const info = await openHarness(page, harness.url);
      expect(info.tier).toBe("canvas2d");
      expect(info.fallbackReason).toBeTruthy();
      const frame = FRAMES["mid-vowel"]!;
      expect(psnr(await renderInPage(page, frame), cpu(frame))).toBeGreaterThanOrEqual(35);
    } finally {
      await plain.close();
    }
  });

  it("draws the same teeth band on both sides for a portrait whose teeth do not show", async () => {
    const closedRig: Rig = { ...rig, mouth: { ...rig.mouth, teethVisible: false } };
    const h = await startRenderHarness(closedRig, png);
    try {
      const page = await browser.newPage();
      expect((await openHarness(page, h.url)).tier).toBe("webgpu");
      const model = compileRig(closedRig);
      const raster = new SoftwareRasterizer(model, await framedPortrait(png, closedRig, S));
      const frame = FRAMES.open!;
      const ref = new Uint8Array(S * S * 4);
      raster.render(deformFrame(model, frame), ref);
      const gpu = await renderInPage(page, frame);
      await save("webgpu-open-drawn-teeth.png", gpu);
      const db = psnr(gpu, ref);
      console.log(`PSNR WebGPU vs CPU, open with drawn teeth: ${db.toFixed(2)} dB`);
      expect(db).toBeGreaterThanOrEqual(35);
      await page.close();
    } finally {
      await h.close();
    }
  });

  it("reports the server tier when the render worker cannot start", async () => {
    const page = await browser.newPage();
    const info = await openHarness(page, harness.url, undefined, "worker=/missing-worker.js");
    expect(info.tier).toBe("server");
    expect(info.fallbackReason).toBeTruthy();
    // The page still has a usable canvas to draw server frames on.
    expect(await page.locator("canvas").count()).toBe(1);
    await page.close();
  });

  it("a page can force the canvas2d tier even where WebGPU works", async () => {
    const page = await browser.newPage();
    expect((await openHarness(page, harness.url, "canvas2d")).tier).toBe("canvas2d");
    await page.close();
  });
});
