import { expect, test } from "@playwright/test";
import { AuthPages } from "./pages/auth-pages";

// Settings → Webhooks: an owner sets the receiver URL, sees and rotates the signing secret, and is
// told when a URL cannot be used.

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("an owner sets a webhook URL, reveals and rotates its signing secret", async ({ page }) => {
  await new AuthPages(page).signUp({ name: "Hooks", email: `hooks-${unique()}@example.com`, password: "webhook-owner-12" });
  await expect(page).toHaveURL(/\/platform$/);
  await page.goto("/platform/settings");
  const section = page.getByTestId("webhook-settings");
  await expect(section.getByTestId("deliveries-empty")).toBeVisible();

  await section.getByTestId("webhook-url").fill("https://user:pw@hooks.example.com/tic");
  await section.getByTestId("webhook-save").click();
  await expect(section.getByTestId("webhook-error")).toContainText("credentials");

  await section.getByTestId("webhook-url").fill("https://hooks.example.com/tic");
  await section.getByTestId("webhook-save").click();
  await expect(section.getByTestId("webhook-message")).toHaveText("Saved.");
  await expect(section.getByTestId("webhook-secret")).toHaveText(/^whsec_.{4}…$/);
  await section.getByTestId("webhook-reveal").click();
  const secret = await section.getByTestId("webhook-secret").innerText();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

  await section.getByTestId("webhook-rotate").click();
  await expect(section.getByTestId("webhook-message")).toContainText("new secret");
  await expect(section.getByTestId("webhook-secret")).not.toHaveText(secret);
  await expect(section.getByTestId("webhook-secret")).toHaveText(/^whsec_[A-Za-z0-9_-]{43}$/);

  // It is kept: a reload shows the saved URL.
  await page.reload();
  await expect(page.getByTestId("webhook-url")).toHaveValue("https://hooks.example.com/tic");
});
