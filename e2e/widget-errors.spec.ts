import { expect, test } from "@playwright/test";
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS } from "./chromium";
import { useWidgetHost } from "./widget-host";
import { WidgetOnPage } from "./widget-page";

// Bad input never leaves a blank box: each case shows a visible state in the widget (message, alert,
// the badge) and fires an `error` event with a stable code. A page without WebGPU draws on the
// canvas2d tier and says so (widget-no-webgpu.spec.ts). The microphone is asked for before any session is created.

// A fake capture device but no permission granted (no --use-fake-ui-for-media-stream): getUserMedia
// is refused. widget.test resolves to this machine but is not a secure context.
test.use({
  launchOptions: { executablePath: CHROMIUM, args: [...BASE_FLAGS, ...WEBGPU_FLAGS, "--use-fake-device-for-media-stream", "--host-resolver-rules=MAP widget.test 127.0.0.1"] },
});

const ctx = useWidgetHost();

const tag = (id: string, attrs: string) => `<tic-avatar id="${id}" ${attrs}></tic-avatar>`;

test("bad attributes and session-urls show a coded error in the widget", async ({ page }) => {
  test.setTimeout(120_000);
  const a = ctx.world.avatarId;
  await page.goto(
    ctx.host.page(
      "bad",
      [
        tag("malformed", `avatar-id="not-an-avatar" session-url="/session"`),
        tag("nosource", `avatar-id="${a}"`),
        tag("unknown", `avatar-id="ava_doesnotexist0000" session-url="/session" mode="speak"`),
        tag("fails", `avatar-id="${a}" session-url="/session-fails" mode="speak"`),
        tag("garbage", `avatar-id="${a}" session-url="/session-garbage" mode="speak"`),
        tag("secretkey", `avatar-id="${a}" publishable-key="tic_test_abc" mode="speak"`),
      ].join(""),
    ),
  );
  const w = (id: string) => new WidgetOnPage(page, id);
  // Shown at once, before any click.
  await w("malformed").expectError("invalid_avatar_id");
  await w("nosource").expectError("missing_session_source");
  await w("secretkey").expectError("invalid_publishable_key");
  for (const [id, code] of [["unknown", "avatar_not_found"], ["fails", "session_url_failed"], ["garbage", "session_bad_response"]] as const) {
    await w(id).part("start").click();
    await w(id).expectError(code);
    console.log(`${id}: ${await w(id).part("error").innerText()}`);
  }
});

test("a revoked or foreign publishable key is refused with a visible coded error", async ({ page }) => {
  await page.goto(ctx.host.page("pub", tag("pub", `avatar-id="${ctx.world.avatarId}" publishable-key="tic_pub_revokedorforeign000000000000" mode="speak"`)));
  const w = new WidgetOnPage(page, "pub");
  await w.part("start").click();
  await w.expectError("publishable_key_refused");
});

test("a denied microphone, an iframe without allow=microphone and an insecure page each say why, and create no session", async ({ page, request }) => {
  test.setTimeout(120_000);
  const sessions = async () => ((await (await request.get(`${ctx.world.base}/api/v1/realtime/sessions?limit=100`, { headers: { authorization: `Bearer ${ctx.world.key}` } })).json()) as { data: unknown[] }).data.length;
  const before = await sessions();

  await page.goto(ctx.host.page("mic", tag("mic", `avatar-id="${ctx.world.avatarId}" session-url="/session"`)));
  const mic = new WidgetOnPage(page, "mic");
  await mic.part("start").click();
  await mic.expectError("mic_denied");

  // A cross-origin frame (127.0.0.1 is another origin than localhost) without allow="microphone".
  const inner = ctx.host.page("inner", tag("framed", `avatar-id="${ctx.world.avatarId}" session-url="/session"`)).replace("localhost", "127.0.0.1");
  await page.goto(ctx.host.page("frame", `<iframe id="f" src="${inner}" width="400" height="420"></iframe>`));
  const frame = page.frameLocator("#f");
  await frame.locator("tic-avatar").getByTestId("start").click();
  await expect(frame.locator("tic-avatar")).toHaveAttribute("data-error", "mic_blocked_by_iframe");
  await expect(frame.locator("tic-avatar").getByTestId("error")).toContainText('allow="microphone"');

  await page.goto(ctx.host.page("insecure", tag("insecure", `avatar-id="${ctx.world.avatarId}" session-url="/session"`)).replace("localhost", "widget.test"));
  const insecure = new WidgetOnPage(page, "insecure");
  await insecure.part("start").click();
  await insecure.expectError("mic_insecure_context");

  expect(await sessions(), "no session was created for a microphone that could not open").toBe(before);
});

test("a dropped connection is re-established with a new session", async ({ page, request }) => {
  test.setTimeout(120_000);
  const listed = async () => ((await (await request.get(`${ctx.world.base}/api/v1/realtime/sessions?limit=100`, { headers: { authorization: `Bearer ${ctx.world.key}` } })).json()) as { data: { id: string }[] }).data.map((s) => s.id);
  await page.goto(ctx.host.page("drop", tag("drop", `avatar-id="${ctx.world.avatarId}" session-url="/session-via-proxy" mode="speak"`)));
  const w = new WidgetOnPage(page, "drop");
  await w.part("start").click();
  await expect(w.el).toHaveAttribute("data-status", "listening", { timeout: 30_000 });
  const before = await listed();
  expect(ctx.host.dropConnections()).toBeGreaterThan(0);
  await expect(w.el).toHaveAttribute("data-status", "reconnecting");
  // The face stays and the page learns why (retryable), then the widget is live again on a new session.
  await expect(w.part("message")).toBeHidden();
  await expect(w.el).toHaveAttribute("data-status", "listening", { timeout: 30_000 });
  const dropped = (await w.events("error")).map((e) => e.detail);
  expect(dropped).toContainEqual(expect.objectContaining({ code: "connection_dropped", retryable: true }));
  expect((await listed()).filter((id) => !before.includes(id))).toHaveLength(1);
  console.log(`reconnect: ${(await w.statusHistory()).join(" → ")}`);
});

test("the page's CSS does not reach inside; floating in a corner, themed, and reachable by keyboard", async ({ page }) => {
  // A hostile page style: every button and div hidden, huge fonts.
  await page.goto(
    ctx.host.page(
      "layout",
      `<style>button,div{display:none!important;font-size:80px!important}</style><p>Page text</p>${tag("float", `avatar-id="${ctx.world.avatarId}" session-url="/session-fails" mode="speak" layout="floating" corner="bottom-left" theme="dark" size="200"`)}`,
    ),
  );
  const w = new WidgetOnPage(page, "float");
  await expect(w.part("start")).toBeVisible();
  expect(await w.el.evaluate((el) => getComputedStyle(el).position)).toBe("fixed");
  const box = (await w.el.boundingBox())!;
  const view = page.viewportSize()!;
  expect(box.x).toBeLessThan(50);
  expect(box.y + box.height).toBeGreaterThan(view.height - 50);
  expect((await w.part("stage").boundingBox())!.width).toBe(200);
  expect(await w.el.getAttribute("data-theme")).toBe("dark");
  // Tab from the page reaches the widget's button; Space presses it.
  await page.keyboard.press("Tab");
  expect(await w.part("start").evaluate((b) => b.matches(":focus"))).toBe(true);
  await page.keyboard.press("Space");
  await w.expectError("session_url_failed");
});

test("a widget error does not reach window.onerror (the page's error tracker)", async ({ page }) => {
  await page.goto(ctx.host.page("onerror", `<script>window.__pageErrors=[];window.addEventListener("error",(e)=>window.__pageErrors.push(String(e.type)));</script>${tag("quiet", `avatar-id="nope" session-url="/session"`)}`));
  const w = new WidgetOnPage(page, "quiet");
  await w.expectError("invalid_avatar_id");
  expect(await page.evaluate(() => (window as unknown as { __pageErrors: string[] }).__pageErrors)).toEqual([]);
});
