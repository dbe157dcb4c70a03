import { expect, test } from "@playwright/test";
import type {} from "../workers/test-hooks";
import { boxDiff, mouthBox, sampleWhile, type Shot } from "./realtime-pixels";

// The public demo's text box: signed out, type text, press Speak; the server's embedded TTS and
// viseme engine stream the turn and the page's renderer moves the mouth while it is heard.

test("the demo page speaks typed text", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/demo");
  await expect(page.getByTestId("demo-renderer-status")).toContainText("Ready", { timeout: 90_000 });
  // The shot's t is the audio time of the mouth on screen: -1 until the turn draws its first frame.
  const snap = () => page.evaluate(() => window.__tic!.stage!.snapshot()) as Promise<Shot>;
  const box = await mouthBox(page, "demo-canvas");
  const idle: Shot[] = [];
  for (let i = 0; i < 6; i++) idle.push(await snap());
  const idleMax = Math.max(...idle.map((s) => boxDiff(s, idle[0]!, box)));

  await page.getByTestId("demo-speak-text").fill("Open wide and say: aaah, hello, how are you today?");
  await page.getByTestId("demo-speak-button").click();
  const speak = page.getByTestId("demo-speak");
  const shots = await sampleWhile(snap, async () => ["done", "error"].includes((await speak.getAttribute("data-status")) ?? ""));
  await expect(speak).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await expect(page.getByTestId("demo-speak-error")).toHaveCount(0);

  const audible = shots.filter((s) => s.t > 0.2);
  expect(audible.length, "frames sampled while the audio played").toBeGreaterThan(3);
  const moved = Math.max(...audible.map((s) => boxDiff(s, idle[0]!, box)));
  console.log(`mouth-box change: idle max ${idleMax.toFixed(2)}, while audible max ${moved.toFixed(2)} over ${audible.length} frames (tier ${(await page.evaluate(() => document.body.innerText.match(/webgpu|canvas2d/)?.[0])) ?? "?"})`);
  expect(moved, `mouth change while speaking ${moved.toFixed(2)} vs idle ${idleMax.toFixed(2)}`).toBeGreaterThan(Math.max(3, idleMax * 2));
  await expect(page.getByTestId("demo-speak-stats")).toContainText("first sound after");
});
