import { expect, test, type Page } from "@playwright/test";
import { boxDiff, type Shot } from "./realtime-pixels";
import { publishableKey, startHost, useWidgetHost, type HostServer } from "./widget-host";
import { WidgetOnPage } from "./widget-page";

// Speak mode: the page calls speak(text) and the avatar says it verbatim, over the session socket
// (`{"type": "avatar.speak", "text"}`) — over WebRTC where the browser has it (transport="auto",
// the default; its data channel carries the same events), or forced onto the WebSocket. Then the
// embed without a backend: a real publishable key made for the host page's origin and the avatar
// works from that origin, and the same tag on a second host origin shows `origin_not_allowed`.

const ctx = useWidgetHost();
const TEXT = "Welcome to our shop. The spring sale ends on Sunday.";

/** A page with one speak-mode widget (`attrs` choose how it gets its session) and a Say button. */
function speakPage(host: HostServer, name: string, attrs: string): string {
  return host.page(name, `<tic-avatar id="s" avatar-id="${ctx.world.avatarId}" mode="speak" ${attrs}></tic-avatar><button id="say">Say</button>
<script>document.getElementById("say").onclick=()=>document.getElementById("s").speak(${JSON.stringify(TEXT)});</script>`);
}

/** Starts the widget, has it say TEXT, and checks it said it with the mouth moving; returns the transport it reported. */
async function speakAndCheck(page: Page, label: string): Promise<string | null> {
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
  expect(said).toBe(TEXT);
  const moved = Math.max(0, ...shots.filter((s) => s.t > 0.2).map((s) => boxDiff(s, idle, box)));
  const transport = await w.el.getAttribute("data-transport");
  console.log(`speak mode (${label}, over ${transport}): mouth-box change max ${moved.toFixed(2)} over ${shots.length} frames`);
  expect(moved).toBeGreaterThan(3);
  expect(await w.events("error")).toEqual([]);
  // The transport is reported three ways: data-transport, the element's property, the status events.
  expect(await w.el.evaluate((el) => (el as unknown as { transport: string | null }).transport)).toBe(transport);
  expect((await w.events("status")).at(-1)!.detail.transport).toBe(transport);
  return transport;
}

test("speak(text) makes the embedded avatar say the text, mouth moving (session-url, WebRTC by default)", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(speakPage(ctx.host, "speak", `session-url="/session"`));
  expect(await speakAndCheck(page, "session-url")).toBe("webrtc");
  expect((await new WidgetOnPage(page, "s").events("ready"))[0]!.detail).toMatchObject({ transport: "webrtc", mode: "speak" });
});

test('transport="websocket" speaks over the session socket', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(speakPage(ctx.host, "speak-ws", `session-url="/session" transport="websocket"`));
  expect(await speakAndCheck(page, "session-url")).toBe("websocket");
});

test('transport="auto" in a browser without RTCPeerConnection uses the session socket', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => delete (window as { RTCPeerConnection?: unknown }).RTCPeerConnection);
  const bodies: unknown[] = [];
  page.on("request", (r) => r.url() === `${ctx.host.origin}/session` && bodies.push((r.postDataJSON() as { transport?: unknown }).transport));
  await page.goto(speakPage(ctx.host, "speak-no-rtc", `session-url="/session"`));
  expect(await speakAndCheck(page, "no RTCPeerConnection")).toBe("websocket");
  expect(bodies).toEqual([{ type: "websocket" }]);
});

test.describe("with a publishable key for the host page's origin", () => {
  let second: HostServer;
  let key: string;
  test.beforeAll(async () => {
    second = await startHost(ctx.world);
    key = publishableKey(ctx.world, [ctx.host.origin]);
  });
  test.afterAll(() => second?.close());

  test("the widget starts and speaks from the allowed origin", async ({ page }) => {
    test.setTimeout(120_000);
    const ours = new URL(ctx.world.base).origin;
    const asked: string[] = [];
    page.on("request", (r) => new URL(r.url()).origin === ours && new URL(r.url()).pathname.startsWith("/api/") && asked.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.goto(speakPage(ctx.host, "pub-speak", `publishable-key="${key}"`));
    expect(await speakAndCheck(page, "publishable key")).toBe("webrtc");
    // The page itself created the session on our origin with the key (no server of its own).
    expect(asked).toContain("POST /api/v1/realtime/sessions");
  });

  test("the same tag on another origin shows origin_not_allowed, in the widget and as an error event", async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto(speakPage(second, "pub-elsewhere", `publishable-key="${key}"`));
    const w = new WidgetOnPage(page, "s");
    await w.part("start").click();
    await w.expectError("origin_not_allowed");
    await expect(w.part("error")).toContainText(second.origin);
    console.log(`refused on ${second.origin}: ${await w.part("error").innerText()}`);
  });
});
