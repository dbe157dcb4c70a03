import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/server/http/testing/test-api";
import { countedBody, READ_SLACK, requestWith } from "@/server/http/testing/counted-body";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

let cleanup: () => Promise<void>;
let POST: (req: Request) => Promise<Response>;
let limit: number;
beforeAll(async () => {
  ({ cleanup } = await useTestDatabase("pglite"));
  const route = await import("./route");
  POST = route.POST;
  limit = route.TRPC_BODY_LIMIT.maxBytes;
});
afterAll(() => cleanup());

describe("POST /api/trpc body limit", () => {
  it.each([
    ["streamed", undefined],
    ["declared", 64 * 1024 * 1024],
  ] as const)("refuses a huge %s body with 413, reading at most the limit, before any procedure runs", async (_how, declared) => {
    const body = countedBody(64 * 1024 * 1024);
    const res = await POST(requestWith("http://localhost/api/trpc/account.signUp", body, { "content-type": "application/json" }, declared));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "payload_too_large" });
    expect(body.pulled()).toBeLessThanOrEqual(declared ? 0 : limit + READ_SLACK);
  });
});
