import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type {} from "../workers/test-hooks";
import { fakeMicrophoneLaunch, questionsWav } from "./fake-microphone";
import { AuthPages } from "./pages/auth-pages";
import { AvatarPages } from "./pages/avatar-pages";
import { boxDiff, mouthBox, type Shot } from "./realtime-pixels";
import { inOrder } from "./status-history";

// The dashboard's Talk: a live session over the session socket, with Chromium's fake microphone
// playing two spoken questions. The server hears each (VAD → recogniser), answers (FAQ responder on
// the sandbox, espeak-ng), and the avatar speaks it on the viewer's renderer. The status must go
// listening → thinking → speaking for each question, the mouth must move while it speaks, and the
// session with its transcript must then be on the Sessions page.

const PORTRAIT = "public/demo/astronaut.png";
const QUESTIONS = ["What are your opening hours?", "Where can I park my car?"];
const WAV = join("test-results", "fake-mic", "two-questions.wav");
// The gap outlasts an answer (the avatar's fallback sentence is ~5 s), so the second question does not cut the first.
const { durationS } = questionsWav(WAV, QUESTIONS, { leadS: 2, gapS: 9, tailS: 30 });

test.use({ launchOptions: fakeMicrophoneLaunch(WAV), permissions: ["microphone"] });

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("the dashboard's Talk holds a two-question conversation through the microphone", async ({ page }) => {
  test.setTimeout(240_000);
  // What the session said, in the test's log: the first thing to read when this spec fails.
  page.on("console", (m) => m.type() === "error" && console.log(`[browser] ${m.text()}`));
  page.on("websocket", (ws) => {
    ws.on("framereceived", (f) => typeof f.payload === "string" && !f.payload.includes(".delta") && console.log(`[session] ${f.payload.slice(0, 300)}`));
    ws.on("close", () => console.log("[session] socket closed"));
  });
  await new AuthPages(page).signUp({ name: "Talker", email: `talk-${unique()}@example.com`, password: "realtime-talker-1" });
  await expect(page).toHaveURL(/\/platform$/);
  await new AvatarPages(page).createReadyAvatar(PORTRAIT, "Concierge");

  const snap = () => page.evaluate(() => window.__tic!.stage!.snapshot()) as Promise<Shot>;
  const box = await mouthBox(page, "speak-canvas");
  const idle: Shot[] = [];
  for (let i = 0; i < 6; i++) idle.push(await snap());
  const idleMax = Math.max(...idle.map((s) => boxDiff(s, idle[0]!, box)));

  const panel = page.getByTestId("talk-panel");
  await page.getByTestId("talk-button").click();
  await expect(panel).toHaveAttribute("data-status", "listening", { timeout: 30_000 });

  // Sample the face through both answers: the fake microphone's file lasts durationS (then loops).
  const shots: Shot[] = [];
  const history = async () => ((await panel.getAttribute("data-history")) ?? "").split(",");
  const twoAnswers = ["listening", "thinking", "speaking", "listening", "thinking", "speaking", "listening"];
  const deadline = Date.now() + (durationS - 10) * 1000;
  while (Date.now() < deadline && !inOrder(await history(), twoAnswers)) {
    if ((await panel.getAttribute("data-status")) === "speaking") shots.push(await snap());
    else await page.waitForTimeout(100);
  }
  const seen = await history();
  console.log(`talk status history: ${seen.join(" → ")}`);
  await expect(page.getByTestId("talk-error")).toHaveCount(0);
  expect(inOrder(seen, twoAnswers), `status history ${seen.join(",")}`).toBe(true);

  await expect(page.locator("[data-testid=talk-line][data-role=user]")).toHaveCount(2);
  const user = await page.locator("[data-testid=talk-line][data-role=user]").allInnerTexts();
  const avatar = await page.locator("[data-testid=talk-line][data-role=assistant]").allInnerTexts();
  console.log(`heard: ${JSON.stringify(user)}; answered: ${JSON.stringify(avatar)}`);
  expect(avatar).toHaveLength(2);
  for (const line of [...user, ...avatar]) expect(line.replace(/^(You|Avatar):/, "").trim().length).toBeGreaterThan(0);

  const audible = shots.filter((s) => s.t > 0.2);
  expect(audible.length, "frames sampled while the avatar spoke").toBeGreaterThan(3);
  const moved = Math.max(...audible.map((s) => boxDiff(s, idle[0]!, box)));
  console.log(`mouth-box change: idle max ${idleMax.toFixed(2)}, while speaking max ${moved.toFixed(2)} over ${audible.length} frames`);
  expect(moved, `mouth change while speaking ${moved.toFixed(2)} vs idle ${idleMax.toFixed(2)}`).toBeGreaterThan(Math.max(3, idleMax * 2));

  // Ending it here ends it on the server; the Sessions page lists it with its transcript.
  const sessionId = await page.getByTestId("talk-session-id").innerText();
  await page.getByTestId("talk-end").click();
  await expect(panel).toHaveAttribute("data-status", "ended");
  await page.goto("/platform/sessions");
  const row = page.locator(`[data-testid=session-row][data-session-id="${sessionId}"]`);
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId("session-status")).toHaveText("ended", { timeout: 1_000 });
  }).toPass({ timeout: 20_000, intervals: [1_000] });
  await expect(row.getByTestId("session-billed")).not.toHaveText("0.0 s");
  await row.getByTestId("session-open").click();
  await expect(page.locator("[data-testid=transcript-item][data-role=user]")).toHaveCount(2);
  await expect(page.locator("[data-testid=transcript-item][data-role=assistant]")).toHaveCount(2);
});
