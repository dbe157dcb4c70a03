import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { fakeMicrophoneLaunch, questionsWav } from "./fake-microphone";
import { useWidgetHost } from "./widget-host";
import { expectConversation, WidgetOnPage } from "./widget-page";

// The widget embedded with one script tag on a page of another origin, in session-url mode: the
// host's tiny server creates the session with its secret key and hands the page only the client
// secret. A conversation through Chromium's fake microphone: a question asked, the answer heard,
// the mouth moving, the status going listening → thinking → speaking → listening, captions shown.
// Here on the WebSocket (transport="websocket"); over WebRTC: widget-webrtc.spec.ts.

const WAV = join("test-results", "fake-mic", "widget-question.wav");
const { durationS } = questionsWav(WAV, ["What are your opening hours?"], { leadS: 2, gapS: 0, tailS: 40 });
test.use({ launchOptions: fakeMicrophoneLaunch(WAV), permissions: ["microphone"] });

const ctx = useWidgetHost();


test("a conversation through the embedded widget: asked, answered, the mouth moving, the status changing", async ({ page }) => {
  test.setTimeout(180_000);
  page.on("console", (m) => m.type() === "error" && console.log(`[browser] ${m.text()}`));
  const url = ctx.host.page("talk", `<h1>Our shop</h1><tic-avatar id="w" avatar-id="${ctx.world.avatarId}" session-url="/session" transport="websocket" mode="conversation" size="256" greeting="Ask me anything"></tic-avatar>`);
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
  await expect(w.el).toHaveAttribute("data-transport", "websocket");
  await expect(w.part("end")).toBeVisible();

  const seen = await expectConversation(w, Date.now() + (durationS - 5) * 1000);
  console.log(`widget status history: ${seen.history.join(" → ")}; heard: ${JSON.stringify(seen.heard)}; answered: ${JSON.stringify(seen.answered)}; mouth-box change max ${seen.moved.toFixed(2)}`);
  // Captions in the aria-live region.
  await expect(w.part("captions")).toHaveAttribute("aria-live", "polite");
  await expect(w.part("caption").filter({ hasText: /^You: / })).toHaveCount(1);
  await expect(w.part("caption").filter({ hasText: /^Avatar: .+/ })).toHaveCount(1);

  await w.part("end").click();
  await expect(w.el).toHaveAttribute("data-status", "ended");
  expect((await w.events("ended")).length).toBeGreaterThan(0);
  expect(await w.events("error")).toEqual([]);
});
