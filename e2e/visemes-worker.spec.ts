import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import * as ort from "onnxruntime-node";
import { analyzeVisemes } from "../core/visemes/engine";
import { VISEME_MODEL_PATH, VISEME_SAMPLE_PATH } from "../core/visemes/model-spec";
import { openVisemeRunner, type OrtRuntimeLike } from "../core/visemes/session";
import type { VisemesProbe } from "../workers/test-hooks";

// Node reference: the same core engine with onnxruntime-node on the same file.
async function nodeFrames(maxSeconds = Infinity) {
  const bytes = readFileSync(`public${VISEME_SAMPLE_PATH}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rate = view.getUint32(24, true);
  const pcm = new Float32Array(Math.min((bytes.length - 44) / 2, Math.round(maxSeconds * rate)));
  for (let i = 0; i < pcm.length; i++) pcm[i] = view.getInt16(44 + 2 * i, true) / 32768;
  const runner = await openVisemeRunner(ort as unknown as OrtRuntimeLike, `public${VISEME_MODEL_PATH}`, { threads: 1 });
  return (await analyzeVisemes(runner, pcm, rate)).frames;
}

type LabResult = Exclude<VisemesProbe, { error: string }>;

async function compare(page: Page, ep: "wasm" | "webgpu", seconds?: number) {
  await page.goto(`/lab/visemes?ep=${ep}${seconds ? `&seconds=${seconds}` : ""}`);
  await expect(page.getByTestId("visemes-status")).toHaveText("done", { timeout: 150_000 });
  await expect(page.getByTestId("visemes-ep")).toHaveText(ep);
  const browser = (await page.evaluate(() => window.__tic!.visemes)) as LabResult;
  const node = await nodeFrames(seconds);

  expect(browser.frames.map((f) => f.index)).toEqual(node.map((f) => f.index));
  let worst = 0;
  let same = 0;
  browser.frames.forEach((f, i) => {
    f.probs.forEach((p, j) => (worst = Math.max(worst, Math.abs(p - node[i]!.probs[j]!))));
    if (f.viseme === node[i]!.viseme) same++;
  });
  expect(worst).toBeLessThan(1e-3);
  expect(same / node.length).toBeGreaterThan(0.99);
  await expect(page.getByTestId("visemes-frame-count")).toHaveText(String(node.length));
}

test("the lipsync worker (onnxruntime-web, WASM) gives the same visemes in Chromium as Node", async ({ page }) => {
  await compare(page, "wasm");
});

// WebGPU runs on SwiftShader here (seconds per run), so only a short input checks correctness.
test("the WebGPU provider is selectable and agrees with Node on a short input", async ({ page }) => {
  test.setTimeout(240_000);
  await compare(page, "webgpu", 0.4);
});

// The lab sends init and open together: a worker that cannot start rejects both, and the page says so.
for (const [what, query, code] of [
  ["its script fails to load", "worker=/missing-lipsync-worker.js", "worker_failed"],
  ["its model cannot be fetched", "model=/models/missing.onnx", "init_failed"],
] as const) {
  test(`the lipsync client rejects every pending call when ${what}`, async ({ page }) => {
    await page.goto(`/lab/visemes?${query}`);
    await expect(page.getByTestId("visemes-status")).toHaveText("error", { timeout: 60_000 });
    await expect(page.getByTestId("visemes-error")).not.toBeEmpty();
    expect(await page.evaluate(() => window.__tic!.visemes)).toMatchObject({ code });
  });
}
