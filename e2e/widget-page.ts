import { expect, type Locator, type Page } from "@playwright/test";
import { boxDiff, type Box, type Shot } from "./realtime-pixels";
import { inOrder } from "./status-history";

// Page object of one <tic-avatar> on a host page: its shadow DOM (Playwright's locators pierce open
// shadow roots), its JS API and the events the host page recorded.

export type WidgetEvent = { id: string; type: string; detail: Record<string, unknown> };

export class WidgetOnPage {
  readonly el: Locator;

  constructor(
    readonly page: Page,
    readonly id: string,
  ) {
    this.el = page.locator(`tic-avatar#${id}`);
  }

  part(testId: string): Locator {
    return this.el.getByTestId(testId);
  }

  status(): Promise<string | null> {
    return this.el.getAttribute("data-status");
  }

  async events(type?: string): Promise<WidgetEvent[]> {
    const all = (await this.page.evaluate(() => (window as unknown as { __events: WidgetEvent[] }).__events)) ?? [];
    return all.filter((e) => e.id === this.id && (!type || e.type === type));
  }

  async statusHistory(): Promise<string[]> {
    return (await this.events("status")).map((e) => String(e.detail.status));
  }

  snapshot(): Promise<Shot> {
    return this.el.evaluate((el) => (el as unknown as { snapshot(): Promise<Shot> }).snapshot());
  }

  stats(): Promise<{ fps: number; tier: string; mouthKeys: number } | null> {
    return this.el.evaluate((el) => (el as unknown as { stats(): { fps: number; tier: string; mouthKeys: number } | null }).stats());
  }

  async mouthBox(): Promise<Box> {
    const raw = await this.part("avatar-canvas").getAttribute("data-mouth-box");
    const [x0, y0, x1, y1] = (raw ?? "").split(",").map(Number) as Box;
    const pad = Math.round((x1 - x0) * 0.2);
    return [x0 - pad, y0 - pad, x1 + pad, y1 + pad * 2];
  }

  /** The coded error the widget shows: visibly (message + alert), as data-error, and as an `error` event. */
  async expectError(code: RegExp | string): Promise<void> {
    await expect(this.el).toHaveAttribute("data-error", code, { timeout: 30_000 });
    await expect(this.part("error")).toBeVisible();
    await expect(this.part("error")).not.toHaveText("");
    await expect(this.part("message")).toBeVisible();
    await expect(this.part("state")).toHaveText("error");
    const events = await this.events("error");
    expect(events.map((e) => e.detail.code)).toContainEqual(expect.stringMatching(code));
  }
}

/**
 * Watches one spoken question through a started conversation widget: until the status went
 * listening → thinking → speaking → listening (or `deadline`), snapshotting while it speaks. Checks
 * what a user notices (the status changing, their words and an answer in the captions, the mouth
 * moving) and returns the figures for the log.
 */
export async function expectConversation(w: WidgetOnPage, deadline: number): Promise<{ history: string[]; heard: string; answered: string; moved: number }> {
  const box = await w.mouthBox();
  const idle = await w.snapshot();
  const shots: Shot[] = [];
  const want = ["listening", "thinking", "speaking", "listening"];
  while (Date.now() < deadline && !inOrder(await w.statusHistory(), want)) {
    if ((await w.status()) === "speaking") shots.push(await w.snapshot());
    else await w.page.waitForTimeout(100);
  }
  const history = await w.statusHistory();
  expect(inOrder(history, want), history.join(",")).toBe(true);
  await expect(w.part("state")).toHaveText("listening");
  const transcripts = await w.events("transcript");
  const said = (role: string) => transcripts.filter((t) => t.detail.role === role && String(t.detail.text).trim()).map((t) => String(t.detail.text)).at(-1) ?? "";
  const heard = said("user");
  const answered = said("assistant");
  expect(heard.length).toBeGreaterThan(0);
  expect(answered.length).toBeGreaterThan(0);
  const moved = Math.max(0, ...shots.filter((s) => s.t > 0.2).map((s) => boxDiff(s, idle, box)));
  expect(moved).toBeGreaterThan(3);
  return { history, heard, answered, moved };
}
