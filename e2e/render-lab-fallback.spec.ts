import { test } from "@playwright/test";
import { NO_WEBGPU_LAUNCH } from "./chromium";
import { expectLabRenders } from "./render-lab";

test.use({ launchOptions: NO_WEBGPU_LAUNCH });

test("without WebGPU the render lab falls back to the canvas2d tier and draws the same way", async ({ page }) => {
  await expectLabRenders(page, "canvas2d");
});
