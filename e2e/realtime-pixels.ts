import { expect, type Page } from "@playwright/test";
import type {} from "../workers/test-hooks";

// Shared by the realtime e2e specs: frames read back from the render worker (a worker's WebGPU
// canvas cannot be screenshotted headless) and pixel differences inside the mouth box.

export type Shot = { t: number; width: number; height: number; rgba: string };
export type Box = [number, number, number, number];

/** Mean absolute RGB difference of two RGBA frames inside `box` (inclusive pixel bounds). */
export function boxDiff(a: Shot, b: Shot, box: Box): number {
  const pa = Buffer.from(a.rgba, "base64");
  const pb = Buffer.from(b.rgba, "base64");
  let sum = 0;
  let n = 0;
  for (let y = Math.max(0, box[1]); y <= Math.min(a.height - 1, box[3]); y++) {
    for (let x = Math.max(0, box[0]); x <= Math.min(a.width - 1, box[2]); x++) {
      const o = 4 * (y * a.width + x);
      sum += Math.abs(pa[o]! - pb[o]!) + Math.abs(pa[o + 1]! - pb[o + 1]!) + Math.abs(pa[o + 2]! - pb[o + 2]!);
      n += 3;
    }
  }
  return n ? sum / n : 0;
}

/** The canvas's mouth box (set by the page from the rig), padded a little for the open jaw. */
export async function mouthBox(page: Page, canvasTestId: string): Promise<Box> {
  const raw = await page.getByTestId(canvasTestId).getAttribute("data-mouth-box");
  const [x0, y0, x1, y1] = (raw ?? "").split(",").map(Number) as Box;
  const pad = Math.round((x1 - x0) * 0.2);
  return [x0 - pad, y0 - pad, x1 + pad, y1 + pad * 2];
}

/**
 * Samples frames with `snap` until `done()` says the turn is over (or `maxMs` passes). Each shot is
 * stamped by the page with the player's audio position, so motion is checked at audible times.
 */
export async function sampleWhile(snap: () => Promise<Shot>, done: () => Promise<boolean>, maxMs = 30_000): Promise<Shot[]> {
  const shots: Shot[] = [];
  const end = Date.now() + maxMs;
  while (Date.now() < end) {
    shots.push(await snap());
    if (await done()) break;
  }
  return shots;
}

/** The test ids of a page's "type text, press Speak" controls. */
export type SpeakControls = { canvas: string; text: string; button: string; panel: string; error: string };

/**
 * Types `text` and presses Speak on a ready stage; the turn must end without an error and the mouth
 * box must change while the audio plays far more than idle motion (breathing, blinks) moves it.
 */
export async function expectMouthMovesWhileSpeaking(page: Page, ids: SpeakControls, text: string): Promise<void> {
  // The shot's t is the audio time of the mouth on screen: -1 until the turn draws its first frame.
  const snap = () => page.evaluate(() => window.__tic!.stage!.snapshot()) as Promise<Shot>;
  const box = await mouthBox(page, ids.canvas);
  const idle: Shot[] = [];
  for (let i = 0; i < 6; i++) idle.push(await snap());
  const idleMax = Math.max(...idle.map((s) => boxDiff(s, idle[0]!, box)));

  await page.getByTestId(ids.text).fill(text);
  await page.getByTestId(ids.button).click();
  const panel = page.getByTestId(ids.panel);
  const shots = await sampleWhile(snap, async () => ["done", "error"].includes((await panel.getAttribute("data-status")) ?? ""));
  await expect(panel).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await expect(page.getByTestId(ids.error)).toHaveCount(0);

  const audible = shots.filter((s) => s.t > 0.2);
  expect(audible.length, "frames sampled while the audio played").toBeGreaterThan(3);
  const moved = Math.max(...audible.map((s) => boxDiff(s, idle[0]!, box)));
  console.log(`mouth-box change: idle max ${idleMax.toFixed(2)}, while audible max ${moved.toFixed(2)} over ${audible.length} frames (tier ${(await page.evaluate(() => document.body.innerText.match(/webgpu|canvas2d/)?.[0])) ?? "?"})`);
  expect(moved, `mouth change while speaking ${moved.toFixed(2)} vs idle ${idleMax.toFixed(2)}`).toBeGreaterThan(Math.max(3, idleMax * 2));
}
