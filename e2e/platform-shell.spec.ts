import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { AuthPages } from "./pages/auth-pages";
import { PlatformPage } from "./pages/platform-page";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("a new user signs up, lands in their tenant, creates and switches tenants, signs out and back in", async ({ page }, testInfo) => {
  const auth = new AuthPages(page);
  const platform = new PlatformPage(page);
  const email = `ada-${unique()}@example.com`;
  const password = "analytical-engine-1843";

  await page.goto("/platform");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fplatform|\/sign-in\?callbackUrl=\/platform/);

  await auth.signUp({ name: "Ada Lovelace", email, password, tenantName: "Engine Works" });
  await platform.expectTenant("Engine Works");
  await expect(page.getByTestId("tenant-role")).toHaveText("owner");

  for (const label of ["Avatars", "Assets", "API keys", "Billing", "Usage", "Settings", "Overview"]) {
    await page.getByRole("navigation", { name: "Platform" }).getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }

  await platform.createTenant("Second Shop");
  await platform.expectTenant("Second Shop");
  await platform.switchTo("Engine Works");
  await platform.expectTenant("Engine Works");
  await platform.switchTo("Second Shop");
  await platform.expectTenant("Second Shop");

  await page.screenshot({ path: testInfo.outputPath("dashboard.png"), fullPage: true });
  await testInfo.attach("dashboard", { path: testInfo.outputPath("dashboard.png"), contentType: "image/png" });

  await platform.signOut();
  await page.goto("/platform");
  await expect(page).toHaveURL(/\/sign-in/);

  await auth.signIn(email, "wrong-password-99");
  await auth.expectError("Wrong email or password.");
  await auth.signIn(`nobody-${unique()}@example.com`, password);
  await auth.expectError("Wrong email or password.");

  await auth.signIn(email, password);
  // The last active workspace is remembered across sign-in.
  await platform.expectTenant("Second Shop");
});

test("sign-up refuses a duplicate email and a weak password with clear messages", async ({ page }) => {
  const auth = new AuthPages(page);
  const email = `dup-${unique()}@example.com`;
  await auth.signUp({ name: "First", email, password: "first-password-1" });
  await expect(page).toHaveURL(/\/platform$/);
  await new PlatformPage(page).signOut();

  await auth.signUp({ name: "Second", email, password: "second-password-1" });
  await auth.expectError("already exists");
  await auth.signUp({ name: "Weak", email: `weak-${unique()}@example.com`, password: "short" });
  await auth.expectError("at least 10 characters");
});

test("an owner created with the admin CLI can sign in", async ({ page }) => {
  const email = `owner-${unique()}@example.com`;
  const password = "cli-created-pass-7";
  // The CLI works against whichever database the environment selects: here the PostgreSQL
  // database of the second e2e server (see playwright.config.ts).
  const out = execFileSync(
    process.execPath,
    ["bin/tic-avatar.mjs", "admin", "create-tenant", "--name", "CLI Tenant", "--owner", email, "--password", password],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL }, encoding: "utf8" },
  );
  const tenant = JSON.parse(out.trim().split("\n").pop()!);
  expect(tenant).toMatchObject({ name: "CLI Tenant", slug: expect.any(String), id: expect.stringMatching(/^ten_/) });

  const listed = execFileSync(process.execPath, ["bin/tic-avatar.mjs", "admin", "list-tenants"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
    encoding: "utf8",
  });
  expect(listed.trim().split("\n").map((l) => JSON.parse(l).slug)).toContain(tenant.slug);

  await page.goto(`${process.env.E2E_PG_BASE_URL}/sign-in`);
  const form = page.getByTestId("sign-in-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/platform$/);
  await expect(page.getByTestId("tenant-name")).toHaveText("CLI Tenant");
});
