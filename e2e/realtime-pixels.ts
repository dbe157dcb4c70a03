import type { Page } from "@playwright/test";

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
