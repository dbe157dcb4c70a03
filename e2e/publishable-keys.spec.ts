import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { AuthPages } from "./pages/auth-pages";
import { AvatarPages } from "./pages/avatar-pages";
import { PlatformPage } from "./pages/platform-page";

// A publishable key end to end in Chromium: made in the dashboard for one avatar and one origin, then
// used by a page on that origin (a second local port: a real cross-origin fetch, with its CORS
// preflight) to start a session and open its socket; refused to a page on another origin; refused at
// once after it is revoked in the dashboard.

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A static site on its own loopback port: its own origin. */
async function site(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>shop</title><p>A customer's page</p>"));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

type Attempt = { status: number; body: { code?: string; error?: string; session_id?: string; url?: string; client_secret?: { value: string } } };

/** What the widget does: POST the create from the page with the publishable key. */
function createFromPage(page: Page, api: string, key: string, avatarId: string): Promise<Attempt> {
  return page.evaluate(
    async ({ api, key, avatarId }) => {
      const r = await fetch(`${api}/api/v1/realtime/sessions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ avatar_id: avatarId, input: "text", outputModality: "audio", render: "client" }),
      });
      // Chromium lets the page read the answer only when its CORS headers allow this origin.
      return { status: r.status, body: await r.json() };
    },
    { api, key, avatarId },
  );
}

test("a publishable key made in the dashboard starts a session from its allowed origin only, until it is revoked", async ({ page, context, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const allowed = await site();
  const other = await site();
  try {
    await new AuthPages(page).signUp({ name: "Grace", email: `grace-${unique()}@example.com`, password: "compiler-1952-cobol", tenantName: "Shop" });
    await new PlatformPage(page).expectTenant("Shop");
    await new AvatarPages(page).createReadyAvatar("public/demo/astronaut.png", "Astro");
    const avatarId = /ava_[0-9a-z]+/.exec(page.url())![0];

    await page.goto("/platform/api-keys");
    const form = page.getByTestId("create-publishable-key-form");
    await form.getByLabel("Name").fill("shop widget");
    await form.getByRole("checkbox", { name: /Astro/ }).check();
    await form.getByLabel(/Allowed origins/).fill(`${allowed.origin}\nhttps://example.com/shop`);
    await form.getByRole("button", { name: "Create publishable key" }).click();
    await expect(form.getByRole("alert")).toContainText("no path");
    await form.getByLabel(/Allowed origins/).fill(allowed.origin);
    await form.getByRole("button", { name: "Create publishable key" }).click();
    await expect(page.getByTestId("new-publishable-key")).toHaveText(/^tic_pub_test_[0-9a-z]{38}$/);
    const key = (await page.getByTestId("new-publishable-key").textContent())!.trim();
    await page.getByTestId("new-publishable-key-dialog").getByRole("button", { name: "Done" }).click();
    const row = page.getByTestId("publishable-keys-table").getByRole("row", { name: /shop widget/ });
    await expect(row).toContainText(allowed.origin);
    await expect(row).toContainText("Astro");
    await expect(row).not.toContainText(key);
    await page.screenshot({ path: testInfo.outputPath("api-keys.png"), fullPage: true });
    await testInfo.attach("api keys page", { path: testInfo.outputPath("api-keys.png"), contentType: "image/png" });

    // The customer's page, on the allowed origin: the session is created and its socket opens.
    const shop = await context.newPage();
    await shop.goto(allowed.origin);
    const made = await createFromPage(shop, baseURL!, key, avatarId);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.session_id).toMatch(/^ses_/);
    const created = await shop.evaluate(
      ({ url, secret }) =>
        new Promise<string>((resolve, reject) => {
          const ws = new WebSocket(`${url}?token=${encodeURIComponent(secret)}`);
          ws.onmessage = (m) => {
            resolve(JSON.parse(String(m.data)).type);
            ws.close();
          };
          ws.onerror = () => reject(new Error("socket failed"));
        }),
      { url: made.body.url!, secret: made.body.client_secret!.value },
    );
    expect(created).toBe("session.created");

    // Another origin: refused with the coded reason the page can read.
    const elsewhere = await context.newPage();
    await elsewhere.goto(other.origin);
    const refused = await createFromPage(elsewhere, baseURL!, key, avatarId);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("origin_not_allowed");
    expect(refused.body.error).toContain(other.origin);

    // Revoked in the dashboard: the next create from the allowed page is refused at once.
    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(row).toContainText("revoked");
    const after = await createFromPage(shop, baseURL!, key, avatarId);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("unauthorized");
  } finally {
    allowed.server.close();
    other.server.close();
  }
});
