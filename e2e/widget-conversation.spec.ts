import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { fakeMicrophoneLaunch, questionsWav } from "./fake-microphone";
import { inOrder } from "./status-history";
import { boxDiff, type Shot } from "./realtime-pixels";
import { useWidgetHost } from "./widget-host";
import { WidgetOnPage } from "./widget-page";

// The widget embedded with one script tag on a page of another origin, in session-url mode: the
// host's tiny server creates the session with its secret key and hands the page only the client
// secret. A conversation through Chromium's fake microphone: a question asked, the answer heard,
// the mouth moving, the status going listening → thinking → speaking → listening, captions shown.

const WAV = join("test-results", "fake-mic", "widget-question.wav");
const { durationS } = questionsWav(WAV, ["What are your opening hours?"], { leadS: 2, gapS: 0, tailS: 40 });
test.use({ launchOptions: fakeMicrophoneLaunch(WAV), permissions: ["microphone"] });

const ctx = useWidgetHost();


test("a conversation through the embedded widget: asked, answered, the mouth moving, the status changing", async ({ page }) => {
  test.setTimeout(180_000);
  page.on("console", (m) => m.type() === "error" && console.log(`[browser] ${m.text()}`));
  const url = ctx.host.page("talk", `<h1>Our shop</h1><tic-avatar id="w" avatar-id="${ctx.world.avatarId}" session-url="/session" mode="conversation" size="256" greeting="Ask me anything"></tic-avatar>`);
  await page.goto(url);
  const w = new WidgetOnPage(page, "w");
  await expect(w.part("message")).toHaveText("Ask me anything");
  // Keyboard operable: the start button takes focus and Enter presses it.
  await w.part("start").focus();
  await page.keyboard.press("Enter");
  await expect(w.el).toHaveAttribute("data-status", "listening", { timeout: 30_000 });
  const ready = (await w.events("ready"))[0]!;
  console.log(`widget ready: ${JSON.stringify(ready.detail)}`);
  expect(ready.detail).toMatchObject({ tier: "webgpu", transport: "websocket", mode: "conversation" });
  await expect(w.part("end")).toBeVisible();

  const box = await w.mouthBox();
  const idle = await w.snapshot();
  const shots: Shot[] = [];
  const want = ["listening", "thinking", "speaking", "listening"];
  const deadline = Date.now() + (durationS - 5) * 1000;
  while (Date.now() < deadline && !inOrder(await w.statusHistory(), want)) {
    if ((await w.status()) === "speaking") shots.push(await w.snapshot());
    else await page.waitForTimeout(100);
  }
  const history = await w.statusHistory();
  console.log(`widget status history: ${history.join(" → ")}`);
  expect(inOrder(history, want), history.join(",")).toBe(true);
  await expect(w.part("state")).toHaveText("listening");

  const transcripts = await w.events("transcript");
  const said = (role: string) => transcripts.filter((t) => t.detail.role === role && String(t.detail.text).trim()).map((t) => String(t.detail.text)).at(-1) ?? "";
  console.log(`heard: ${JSON.stringify(said("user"))}; answered: ${JSON.stringify(said("assistant"))}`);
  expect(said("user").length).toBeGreaterThan(0);
  expect(said("assistant").length).toBeGreaterThan(0);
  // Captions in the aria-live region.
  await expect(w.part("captions")).toHaveAttribute("aria-live", "polite");
  await expect(w.part("caption").filter({ hasText: /^You: / })).toHaveCount(1);
  await expect(w.part("caption").filter({ hasText: /^Avatar: .+/ })).toHaveCount(1);

  const moved = Math.max(0, ...shots.filter((s) => s.t > 0.2).map((s) => boxDiff(s, idle, box)));
  console.log(`mouth-box change while speaking: max ${moved.toFixed(2)} over ${shots.length} frames`);
  expect(moved).toBeGreaterThan(3);

  await w.part("end").click();
  await expect(w.el).toHaveAttribute("data-status", "ended");
  expect((await w.events("ended")).length).toBeGreaterThan(0);
  expect(await w.events("error")).toEqual([]);
});
