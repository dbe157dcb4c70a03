import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { fakeMicrophoneLaunch, questionsWav } from "./fake-microphone";
import { AuthPages } from "./pages/auth-pages";
import { AvatarPages } from "./pages/avatar-pages";

// Interrupting the avatar from the dashboard: one spoken question, and while the answer plays the
// user presses Interrupt. The answer stops (status leaves speaking at once), the transcript marks it
// cut, and the stored transcript keeps only what was played, flagged interrupted.

const WAV = join("test-results", "fake-mic", "one-question.wav");
questionsWav(WAV, ["What are your opening hours?"], { leadS: 2, gapS: 0, tailS: 40 });

test.use({ launchOptions: fakeMicrophoneLaunch(WAV), permissions: ["microphone"] });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("Interrupt cuts the avatar's answer; the transcript keeps only what was heard", async ({ page }) => {
  test.setTimeout(200_000);
  page.on("websocket", (ws) => ws.on("framereceived", (f) => typeof f.payload === "string" && !f.payload.includes(".delta") && console.log(`[session] ${f.payload.slice(0, 300)}`)));
  await new AuthPages(page).signUp({ name: "Cutter", email: `cut-${unique()}@example.com`, password: "realtime-cutter-1" });
  await expect(page).toHaveURL(/\/platform$/);
  await new AvatarPages(page).createReadyAvatar("public/demo/astronaut.png", "Receptionist");

  const panel = page.getByTestId("talk-panel");
  await page.getByTestId("talk-button").click();
  await expect(panel).toHaveAttribute("data-status", "speaking", { timeout: 60_000 });
  await page.waitForTimeout(1_200); // a little of the answer is heard
  const t0 = Date.now();
  await page.getByTestId("talk-interrupt").click();
  await expect(panel).not.toHaveAttribute("data-status", "speaking", { timeout: 5_000 });
  console.log(`interrupt → status left speaking in ${Date.now() - t0} ms`);
  const answer = page.locator("[data-testid=talk-line][data-role=assistant]");
  await expect(answer).toHaveAttribute("data-final", "true");
  await expect(answer).toContainText("—");

  const sessionId = await page.getByTestId("talk-session-id").innerText();
  await page.getByTestId("talk-end").click();
  await page.goto(`/platform/sessions/${sessionId}`);
  const said = page.locator("[data-testid=transcript-item][data-role=assistant]");
  await expect(said).toHaveCount(1);
  await expect(said.getByTestId("transcript-interrupted")).toBeVisible();
  // The full answer is "I don't have an answer to that yet: no questions and answers have been added to my knowledge."
  const text = (await said.innerText()).replace(/^.*Avatar:\s*/s, "").replace(/\s*— interrupted$/, "");
  console.log(`stored (played) part of the answer: ${JSON.stringify(text)}`);
  expect(text.length).toBeLessThan("I don't have an answer to that yet: no questions and answers have been added to my knowledge.".length);
});
