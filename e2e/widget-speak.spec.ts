import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { boxDiff, type Shot } from "./realtime-pixels";
import { useWidgetHost } from "./widget-host";
import { WidgetOnPage } from "./widget-page";

// Speak mode: the page calls speak(text) and the avatar says it verbatim, over the session socket
// (`{"type": "avatar.speak", "text"}`). The server side of that event is built on another branch:
// until the protocol here knows it, this spec is skipped (it runs as is once both are merged).

const serverSpeaks = readFileSync("core/realtime/session-events.ts", "utf8").includes('"avatar.speak"');

test.skip(!serverSpeaks, "the session protocol has no avatar.speak event on this branch yet");
const ctx = useWidgetHost();

test("speak(text) makes the embedded avatar say the text, mouth moving", async ({ page }) => {
  test.setTimeout(120_000);
  const text = "Welcome to our shop. The spring sale ends on Sunday.";
  await page.goto(ctx.host.page("speak", `<tic-avatar id="s" avatar-id="${ctx.world.avatarId}" session-url="/session" mode="speak"></tic-avatar><button id="say">Say</button>
<script>document.getElementById("say").onclick=()=>document.getElementById("s").speak(${JSON.stringify(text)});</script>`));
  const w = new WidgetOnPage(page, "s");
  await w.part("start").click();
  await expect(w.el).toHaveAttribute("data-status", "listening", { timeout: 30_000 });
  const box = await w.mouthBox();
  const idle = await w.snapshot();
  await page.locator("#say").click();
  const shots: Shot[] = [];
  await expect.poll(async () => (await w.statusHistory()).includes("speaking"), { timeout: 30_000 }).toBe(true);
  while ((await w.status()) === "speaking" && shots.length < 200) shots.push(await w.snapshot());
  const said = (await w.events("transcript")).filter((t) => t.detail.role === "assistant").map((t) => String(t.detail.text)).at(-1);
  expect(said).toBe(text);
  const moved = Math.max(0, ...shots.filter((s) => s.t > 0.2).map((s) => boxDiff(s, idle, box)));
  console.log(`speak mode: mouth-box change max ${moved.toFixed(2)} over ${shots.length} frames`);
  expect(moved).toBeGreaterThan(3);
  expect(await w.events("error")).toEqual([]);
});
