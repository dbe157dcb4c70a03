import { expect, test, type APIResponse } from "@playwright/test";

// Requests the production server cannot route: malformed percent-encoding, methods it does not serve,
// paths and methods no API route has. Each gets a 4xx with a request id: the REST error contract's JSON
// under /api/, plain text elsewhere. Never a 500.

async function expectApiError(res: APIResponse, status: number, code: string) {
  expect(res.status()).toBe(status);
  expect(res.headers()["content-type"]).toMatch(/^application\/json/);
  expect(res.headers()["x-request-id"]).toBeTruthy();
  expect(await res.json()).toMatchObject({ status, code, retryable: false, error: expect.any(String) });
}

test.describe("requests no route can serve", () => {
  for (const path of ["/api/v1/avatars/%ff", "/api/platform/avatars/%ff/rig", "/api/v1/avatars/ava_%00"]) {
    test(`GET ${path} is a JSON 400`, async ({ request }) => {
      await expectApiError(await request.get(path), 400, "invalid_path");
    });
  }

  for (const path of ["/files/%ff%fe", "/platform/avatars/%ff"]) {
    test(`GET ${path} is a plain 400`, async ({ request }) => {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status()).toBe(400);
      expect(res.headers()["content-type"]).toMatch(/^text\/plain/);
    });
  }

  for (const path of ["/api/health", "/api/demo/speak", "/api/demo/prepare", "/api/v1/avatars"]) {
    test(`TRACE ${path} is a JSON 405`, async ({ request }) => {
      const res = await request.fetch(path, { method: "TRACE" });
      await expectApiError(res, 405, "method_not_allowed");
      expect(res.headers()["allow"]).toContain("GET");
    });
  }

  test("TRACE on /files is a plain 405", async ({ request }) => {
    const res = await request.fetch(`/files/${"t".repeat(43)}`, { method: "TRACE" });
    expect(res.status()).toBe(405);
    expect(res.headers()["content-type"]).toMatch(/^text\/plain/);
  });

  for (const path of ["/api/v1/nothing-here", "/api/v1/avatars/ava_abc/extra", "/api/nope"]) {
    test(`GET ${path} is the contract's JSON 404`, async ({ request }) => {
      await expectApiError(await request.get(path), 404, "not_found");
    });
  }

  test("a method a /api/v1 path does not serve is the contract's JSON 405", async ({ request }) => {
    const res = await request.put("/api/v1/avatars", { data: {} });
    await expectApiError(res, 405, "method_not_allowed");
    expect(res.headers()["allow"]).toBe("GET, HEAD, OPTIONS, POST");
  });

  test("well-formed requests still reach their routes", async ({ request }) => {
    expect((await request.get("/api/health")).status()).toBe(200);
    await expectApiError(await request.get("/api/v1/avatars"), 401, "unauthorized");
  });
});
