import { expect, type Page } from "@playwright/test";
import type {} from "../workers/test-hooks";
import { expressionOf, NO_GESTURE } from "../core/render/expression";

// Shared by the render-lab specs: drive /lab/render (the render worker as the Next build ships it).
type Frame = { mouth: Record<string, number>; idle: { timeSec: number; listening: number }; face?: unknown };
const rest = { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };
const OPEN: Frame = { mouth: { ...rest, jawOpen: 0.9 }, idle: { timeSec: 1, listening: 0 } };
const CLOSED: Frame = { mouth: { ...rest, lipsPressed: 1 }, idle: { timeSec: 1, listening: 0 } };
// The same resting mouth, neutral and smiling (the emotion's face, as the mux motion records carry it).
const NEUTRAL: Frame = { mouth: rest, idle: { timeSec: 1, listening: 0 } };
const HAPPY: Frame = { ...NEUTRAL, face: { expression: expressionOf("happy"), gesture: NO_GESTURE } };
// Boxes in the 512 px frame of the fixture portrait: around the mouth, and sky above the shuttle.
const MOUTH = [195, 130, 255, 180] as const;
const BACKGROUND = [400, 0, 512, 120] as const;

async function frame(page: Page, f: Frame): Promise<Buffer> {
  return Buffer.from(await page.evaluate((x) => window.__tic!.render!.render(x as never), f), "base64");
}

/** Mean absolute RGB difference inside a box. */
function diff(a: Buffer, b: Buffer, [x0, y0, x1, y1]: readonly number[]): number {
  let d = 0;
  let n = 0;
  for (let y = y0!; y < y1!; y++) {
    for (let x = x0!; x < x1!; x++) {
      for (let c = 0; c < 3; c++) d += Math.abs(a[(y * 512 + x) * 4 + c]! - b[(y * 512 + x) * 4 + c]!);
      n += 3;
    }
  }
  return d / n;
}

/** Opens the lab, expects `tier`, and checks the mouth moves between frames while the background does not. */
export async function expectLabRenders(page: Page, tier: string): Promise<void> {
  await page.goto("/lab/render");
  await expect(page.getByTestId("render-tier")).toHaveText(tier, { timeout: 60_000 });
  // The worker animates the page's vowel keys on its own display frames.
  await expect.poll(() => page.evaluate(() => window.__tic!.render!.fps), { timeout: 10_000 }).toBeGreaterThan(5);
  const open = await frame(page, OPEN);
  const closed = await frame(page, CLOSED);
  expect(diff(open, closed, MOUTH)).toBeGreaterThan(10);
  expect(diff(open, closed, BACKGROUND)).toBe(0);
  // Emotions reach this tier's face: a smile changes the mouth, never the background.
  const neutral = await frame(page, NEUTRAL);
  const happy = await frame(page, HAPPY);
  expect(diff(happy, neutral, MOUTH)).toBeGreaterThan(2);
  expect(diff(happy, neutral, BACKGROUND)).toBe(0);
  expect(await page.evaluate(() => window.__tic!.render!.tier)).toBe(tier);
}
