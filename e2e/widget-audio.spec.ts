import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS } from "./chromium";
import { boxDiff, type Shot } from "./realtime-pixels";
import { publishableKey, useWidgetHost } from "./widget-host";
import { WidgetOnPage } from "./widget-page";

// Audio mode, the private mode: the widget lipsyncs audio the page already plays (an <audio>
// element here) entirely in the browser. After the widget loaded (render assets, the viseme model
// and ONNX Runtime), no request reaches our server. Then several avatars on one page: they share
// one render worker (one GPU device) and one lipsync worker, each draws frames and moves its mouth.

test.use({ launchOptions: { executablePath: CHROMIUM, args: [...BASE_FLAGS, ...WEBGPU_FLAGS, "--autoplay-policy=no-user-gesture-required"] } });

/** An espeak-ng sentence the page's <audio> element plays. */
function speechWav(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "tic-widget-audio-"));
  try {
    const wav = join(dir, "speech.wav");
    execFileSync("espeak-ng", ["-v", "en-us", "-s", "150", "-w", wav, "Hello there. I am speaking from an audio element on this page, and the avatar moves its lips with me."]);
    return readFileSync(wav);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const ctx = useWidgetHost(() => ({ "/speech.wav": { type: "audio/wav", body: speechWav() } }));

/** `source`: how the widget reads the avatar's render assets (the host's assets-url, or our origin with a publishable key). */
const widgets = (n: number, size: number, source = `assets-url="/assets"`) =>
  Array.from({ length: n }, (_, i) => `<tic-avatar id="a${i}" avatar-id="${ctx.world.avatarId}" ${source} mode="audio" size="${size}"></tic-avatar>`).join("");

/** Opens a page of `n` audio-mode widgets and one <audio>, waits until every widget has loaded. */
async function openAudioPage(page: Page, name: string, n: number, source?: string) {
  const url = ctx.host.page(name, `<audio id="voice" src="/speech.wav" loop></audio><button id="play">Play</button>${widgets(n, 256, source)}
<script>document.getElementById("play").onclick=async()=>{const a=document.getElementById("voice");await a.play();for(const el of document.querySelectorAll("tic-avatar"))await el.attachAudio(a);};</script>`);
  await page.goto(url);
  const all = Array.from({ length: n }, (_, i) => new WidgetOnPage(page, `a${i}`));
  // "idle" once the face is drawn and the model is loaded: everything the mode needs is here.
  for (const w of all) await expect(w.el).toHaveAttribute("data-status", "idle", { timeout: 90_000 });
  return all;
}

const variants = [
  { name: "assets-url", source: () => `assets-url="/assets"` },
  // No server of the page's own: the widget reads the render assets from our origin with a publishable key for the page's origin.
  { name: "publishable key", source: () => `publishable-key="${publishableKey(ctx.world, [ctx.host.origin])}"` },
];

for (const variant of variants) {
  test(`audio mode (${variant.name}) lipsyncs an <audio> element in the browser, with no request to our server after load`, async ({ page }) => {
  test.setTimeout(150_000);
  const ours = new URL(ctx.world.base).origin;
  // Our API's calls from the page while it loads: in audio mode only the one read of the render assets, with a publishable key.
  const api: string[] = [];
  page.on("request", (r) => new URL(r.url()).origin === ours && new URL(r.url()).pathname.startsWith("/api/") && api.push(`${r.method()} ${new URL(r.url()).pathname}`));
  const [w] = await openAudioPage(page, `audio-${variant.name.replace(/\W+/g, "-")}`, 1, variant.source());
  expect(api).toEqual(variant.name === "assets-url" ? [] : [`GET /api/v1/avatars/${ctx.world.avatarId}/render-assets`]);
  expect((await w!.events("ready"))[0]!.detail).toMatchObject({ tier: "webgpu", transport: null, mode: "audio" });
  const box = await w!.mouthBox();
  const idle = await w!.snapshot();
  const after: string[] = [];
  page.on("request", (r) => new URL(r.url()).origin === ours && after.push(r.url()));
  page.on("websocket", (s) => after.push(s.url()));
  await page.locator("#play").click();
  await expect(w!.el).toHaveAttribute("data-status", "speaking");
  const shots: Shot[] = [];
  for (let i = 0; i < 40; i++) {
    shots.push(await w!.snapshot());
    await page.waitForTimeout(100);
  }
  const stats = await w!.stats();
  const moved = Math.max(...shots.map((s) => boxDiff(s, idle, box)));
  console.log(`audio mode: ${stats?.mouthKeys} mouth keys, ${stats?.fps} fps, mouth-box change max ${moved.toFixed(2)}; requests to our origin after load: ${after.length}`);
  expect(stats!.mouthKeys).toBeGreaterThan(20);
  expect(moved).toBeGreaterThan(3);
  expect(after, "requests to our server after the widget loaded").toEqual([]);
  });
}

for (const n of [4, 8]) {
  test(`${n} avatars on one page share one render worker and one lipsync worker, and each animates`, async ({ page }) => {
    test.setTimeout(200_000);
    const all = await openAudioPage(page, `many-${n}`, n);
    const boxes = await Promise.all(all.map((w) => w.mouthBox()));
    const idle = await Promise.all(all.map((w) => w.snapshot()));
    // One render worker and one lipsync worker for the page, whatever the number of avatars.
    expect(page.workers().length).toBe(2);
    await page.locator("#play").click();
    for (const w of all) await expect(w.el).toHaveAttribute("data-status", "speaking");
    const moved = all.map(() => 0);
    for (let round = 0; round < 10; round++) {
      for (const [i, w] of all.entries()) moved[i] = Math.max(moved[i]!, boxDiff(await w.snapshot(), idle[i]!, boxes[i]!));
      await page.waitForTimeout(200);
    }
    const stats = await Promise.all(all.map((w) => w.stats()));
    const tiers = new Set(stats.map((s) => s!.tier));
    console.log(`${n} avatars of 256 px (${[...tiers].join(",")}): fps ${stats.map((s) => s!.fps).join(", ")}; mouth keys ${stats.map((s) => s!.mouthKeys).join(", ")}; mouth-box change ${moved.map((m) => m.toFixed(1)).join(", ")}`);
    for (const [i, s] of stats.entries()) {
      expect(s!.fps, `avatar ${i} draws frames`).toBeGreaterThan(0);
      expect(s!.mouthKeys, `avatar ${i} got mouth keys`).toBeGreaterThan(0);
      // Idle motion alone changes the mouth box by about 1; speech by 20 and more.
      expect(moved[i]!, `avatar ${i}'s mouth moved`).toBeGreaterThan(8);
    }
  });
}
