import { expect, test } from "@playwright/test";
import { NO_WEBGPU_LAUNCH } from "./chromium";
import { useWidgetHost } from "./widget-host";
import { WidgetOnPage } from "./widget-page";

// A browser without WebGPU: the widget draws the avatar on the canvas2d tier (the same render
// worker's CPU rasteriser), reports it in its `ready` event and says so under the face.

test.use({ launchOptions: NO_WEBGPU_LAUNCH });

const ctx = useWidgetHost();

const tag = (id: string, attrs: string) => `<tic-avatar id="${id}" ${attrs}></tic-avatar>`;

test("the widget draws on the canvas2d tier and says so", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(ctx.host.page("cpu", tag("cpu", `avatar-id="${ctx.world.avatarId}" assets-url="/assets" mode="audio"`)));
  const w = new WidgetOnPage(page, "cpu");
  await expect(w.el).toHaveAttribute("data-tier", "canvas2d", { timeout: 60_000 });
  const ready = (await w.events("ready"))[0]!;
  console.log(`no WebGPU: ${JSON.stringify(ready.detail)}`);
  expect(ready.detail.tier).toBe("canvas2d");
  expect(String(ready.detail.fallbackReason)).not.toBe("");
  await expect(w.part("tier")).toContainText("CPU");
  await expect(w.part("message")).toBeHidden();
  await expect.poll(async () => (await w.stats())?.fps ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
});
