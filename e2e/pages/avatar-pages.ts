import { expect, type Page } from "@playwright/test";
import { expectMouthMovesWhileSpeaking } from "../realtime-pixels";

/** The dashboard's avatar pages as a user drives them: upload a portrait, create an avatar, open it. */
export class AvatarPages {
  constructor(readonly page: Page) {}

  /** Uploads `portrait`, creates an avatar named `name` from it, waits until it is prepared and opens it. */
  async createReadyAvatar(portrait: string, name: string) {
    const page = this.page;
    await page.goto("/platform/avatars");
    await page.getByTestId("upload-file").setInputFiles(portrait);
    await page.getByTestId("upload-submit").click();
    await expect(page.getByTestId("upload-message")).toBeVisible({ timeout: 30_000 });
    await page.getByTestId("create-avatar-form").getByTestId("avatar-name").fill(name);
    await page.getByTestId("create-avatar").click();
    await expect(page.getByTestId("create-avatar-message")).toContainText("Created");
    // Preparation runs in the background: preprocessing → ready.
    const card = page.getByTestId("avatar-card").filter({ hasText: name });
    await expect(async () => {
      await page.reload();
      await expect(card.getByTestId("avatar-status")).toHaveText("ready", { timeout: 1_000 });
    }).toPass({ timeout: 90_000, intervals: [1_000] });
    await card.getByTestId("avatar-open").click();
    await expect(page.getByTestId("avatar-title")).toHaveText(name);
    await expect(page.getByTestId("speak-stage-status")).toContainText("Ready", { timeout: 60_000 });
  }

  /** On an open avatar's page: the Speak stage is ready on the browser tier, and speaking `text` moves the mouth on the canvas. */
  async expectSpeaks(text: string) {
    const page = this.page;
    await expect(page.getByTestId("speak-stage-status")).toContainText("Ready", { timeout: 60_000 });
    await expect(page.getByTestId("speak-tier")).toHaveText(/webgpu|canvas2d/);
    await expectMouthMovesWhileSpeaking(page, { canvas: "speak-canvas", text: "speak-text", button: "speak-button", panel: "speak-panel", error: "speak-error" }, text);
  }
}
