import { expect, test } from "@playwright/test";
import { AuthPages } from "./pages/auth-pages";
import { AvatarPages } from "./pages/avatar-pages";

// The dashboard's Speak button: a signed-in user creates an avatar from a portrait (prepared in
// the background), opens it, types text and presses Speak. The turn is streamed by the server on
// the workspace's test environment and played through the SDK player on the viewer's renderer;
// the mouth must move on the canvas while the audio plays.

const PORTRAIT = "public/demo/astronaut.png";
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("an avatar speaks typed text from the dashboard", async ({ page }) => {
  test.setTimeout(180_000);
  await new AuthPages(page).signUp({ name: "Speaker", email: `speak-${unique()}@example.com`, password: "realtime-speaker-1" });
  await expect(page).toHaveURL(/\/platform$/);

  await page.goto("/platform/avatars");
  await page.getByTestId("upload-file").setInputFiles(PORTRAIT);
  await page.getByTestId("upload-submit").click();
  await expect(page.getByTestId("upload-message")).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("create-avatar-form").getByTestId("avatar-name").fill("Astronaut");
  await page.getByTestId("create-avatar").click();
  await expect(page.getByTestId("create-avatar-message")).toContainText("Created");

  // Preparation runs in the background: preprocessing → ready.
  const card = page.getByTestId("avatar-card").filter({ hasText: "Astronaut" });
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId("avatar-status")).toHaveText("ready", { timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [1_000] });

  await card.getByTestId("avatar-open").click();
  await expect(page.getByTestId("avatar-title")).toHaveText("Astronaut");
  await new AvatarPages(page).expectSpeaks("Open wide and say: aaah, hello, how are you today?");

  await expect(page.getByTestId("speak-first-frame")).toHaveText(/^\d+ ms$/);
  await expect(page.getByTestId("speak-cost")).toContainText("sandbox credit micros");
  await expect(page.getByTestId("speak-transcript")).toContainText("hello");
});
