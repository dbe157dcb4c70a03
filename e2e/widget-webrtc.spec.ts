import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { fakeMicrophoneLaunch, questionsWav } from "./fake-microphone";
import { useWidgetHost } from "./widget-host";
import { expectConversation, WidgetOnPage } from "./widget-page";

// The widget over WebRTC (transport="auto", the default, in a browser with RTCPeerConnection): the
// page's SDP offer goes to the host's session-url, whose SDK adapter (createSessionMiddleware)
// passes it through to our API and relays the SDP answer. Chromium's fake microphone asks a
// question as an Opus track; the answer is heard on the avatar's remote voice track and the mouth
// moves with the motion records of the data channel.

const WAV = join("test-results", "fake-mic", "widget-webrtc-question.wav");
const { durationS } = questionsWav(WAV, ["What are your opening hours?"], { leadS: 2, gapS: 0, tailS: 40 });
test.use({ launchOptions: fakeMicrophoneLaunch(WAV), permissions: ["microphone"] });

const ctx = useWidgetHost();

test("a conversation through the widget over WebRTC: the transport reported, asked, answered, the mouth moving", async ({ page }) => {
  test.setTimeout(180_000);
  page.on("console", (m) => m.type() === "error" && console.log(`[browser] ${m.text()}`));
  const offers: string[] = [];
  page.on("request", (r) => r.url() === `${ctx.host.origin}/session` && offers.push(String((r.postDataJSON() as { transport?: { type?: string } }).transport?.type)));
  await page.goto(ctx.host.page("talk-rtc", `<tic-avatar id="w" avatar-id="${ctx.world.avatarId}" session-url="/session" mode="conversation" size="256"></tic-avatar>`));
  const w = new WidgetOnPage(page, "w");
  await w.part("start").click();
  await expect(w.el).toHaveAttribute("data-status", "listening", { timeout: 30_000 });
  await expect(w.el).toHaveAttribute("data-transport", "webrtc");
  expect(await w.el.evaluate((el) => (el as unknown as { transport: string | null }).transport)).toBe("webrtc");
  expect((await w.events("ready"))[0]!.detail).toMatchObject({ tier: "webgpu", transport: "webrtc", mode: "conversation" });
  // One session, created with the browser's offer (no WebSocket fallback was needed).
  expect(offers).toEqual(["webrtc"]);

  const seen = await expectConversation(w, Date.now() + (durationS - 5) * 1000);
  console.log(`over WebRTC: ${seen.history.join(" → ")}; heard ${JSON.stringify(seen.heard)}; answered ${JSON.stringify(seen.answered)}; mouth-box change max ${seen.moved.toFixed(2)}`);
  expect((await w.events("status")).filter((e) => e.detail.transport && e.detail.transport !== "webrtc")).toEqual([]);

  await w.part("end").click();
  await expect(w.el).toHaveAttribute("data-status", "ended");
  expect(await w.events("error")).toEqual([]);
});
