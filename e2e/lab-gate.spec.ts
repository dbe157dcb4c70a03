import { expect, test } from "@playwright/test";
import type {} from "../workers/test-hooks";

// The PostgreSQL server runs without ENABLE_LAB, as production does (playwright.config.ts).
const PRODUCTION_LIKE = process.env.E2E_PG_BASE_URL!;

test("without ENABLE_LAB the lab pages are not served and pages install no test hook", async ({ page, request, baseURL }) => {
  for (const path of ["/lab/render", "/lab/visemes", "/lab/anything"]) {
    expect((await request.get(`${PRODUCTION_LIKE}${path}`)).status(), path).toBe(404);
  }
  // The lab server serves them (the render-lab and visemes specs drive them there).
  expect((await request.get(`${baseURL}/lab/render`)).status()).toBe(200);

  await page.goto(`${PRODUCTION_LIKE}/demo`);
  await expect(page.getByTestId("demo-renderer-status")).toContainText("Ready", { timeout: 90_000 });
  expect(await page.evaluate(() => window.__tic)).toBeUndefined();
});
