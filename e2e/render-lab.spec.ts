import { test } from "@playwright/test";
import { expectLabRenders } from "./render-lab";

test("the render lab draws with WebGPU: the mouth moves, the background does not", async ({ page }) => {
  await expectLabRenders(page, "webgpu");
});
