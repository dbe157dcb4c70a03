import { expect, test } from "@playwright/test";
import { expectMouthMovesWhileSpeaking } from "./realtime-pixels";

// The public demo's text box: signed out, type text, press Speak; the server's embedded TTS and
// viseme engine stream the turn and the page's renderer moves the mouth while it is heard.

test("the demo page speaks typed text", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/demo");
  await expect(page.getByTestId("demo-renderer-status")).toContainText("Ready", { timeout: 90_000 });
  await expectMouthMovesWhileSpeaking(
    page,
    { canvas: "demo-canvas", text: "demo-speak-text", button: "demo-speak-button", panel: "demo-speak", error: "demo-speak-error" },
    "Open wide and say: aaah, hello, how are you today?",
  );
  await expect(page.getByTestId("demo-speak-stats")).toContainText("first sound after");
});
