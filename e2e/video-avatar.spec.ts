import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { AuthPages } from "./pages/auth-pages";
import { AvatarPages } from "./pages/avatar-pages";

// A source-video avatar from the dashboard: the user picks "Video of the person", uploads a clip
// (made here with ffmpeg from the fixture portrait: 4 s, 288 px, with a 1 px drift so frames
// differ), follows the plan's progress on the avatar page, sees the loop previewed, and the avatar
// speaks on the browser tier with its mouth moving.

const PORTRAIT = "public/demo/astronaut.png";
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let dir = "";
let clip = "";

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tic-e2e-video-"));
  clip = join(dir, "person.mp4");
  execFileSync("ffmpeg", ["-v", "error", "-y", "-loop", "1", "-i", PORTRAIT, "-vf", "crop=288:288:'80+sin(t*1.5)':0,fps=10", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a video of the person becomes an avatar: plan progress, loop preview, speech on the loop", async ({ page }) => {
  test.setTimeout(240_000);
  await new AuthPages(page).signUp({ name: "Video", email: `video-${unique()}@example.com`, password: "video-avatar-user-1" });
  await expect(page).toHaveURL(/\/platform$/);

  await page.goto("/platform/avatars");
  await page.getByTestId("source-video").check();
  await page.getByTestId("upload-file").setInputFiles(clip);
  await page.getByTestId("upload-submit").click();
  await expect(page.getByTestId("upload-message")).toContainText("video/mp4", { timeout: 30_000 });
  await page.getByTestId("create-avatar-form").getByTestId("avatar-name").fill("Clip person");
  await page.getByTestId("create-avatar").click();
  await expect(page.getByTestId("create-avatar-message")).toContainText("being prepared");

  const card = page.getByTestId("avatar-card").filter({ hasText: "Clip person" });
  await card.getByTestId("avatar-open").click();
  await expect(page.getByTestId("avatar-title")).toHaveText("Clip person");
  // The page polls the plan: queued while the video is analysed, then ready with the loop.
  await expect(page.getByTestId("video-cache-status")).toHaveText("ready", { timeout: 120_000 });
  await expect(page.getByTestId("video-cache-plan")).toContainText("Resting loop");
  await expect.poll(() => page.getByTestId("video-cache-preview").evaluate((v: HTMLVideoElement) => v.readyState >= 2 && v.videoWidth), { timeout: 30_000 }).toBe(288);

  await page.reload();
  await new AvatarPages(page).expectSpeaks("Open wide and say: aaah, hello, how are you today?");
});
