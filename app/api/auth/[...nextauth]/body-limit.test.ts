import { describe, expect, it, vi } from "vitest";
import { countedBody, READ_SLACK, requestWith } from "@/server/http/testing/counted-body";
import { AUTH_BODY_LIMIT, POST } from "./route";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

describe("POST /api/auth/* body limit", () => {
  it.each([
    ["streamed", undefined],
    ["declared", 64 * 1024 * 1024],
  ] as const)("refuses a huge %s sign-in body with 413, reading at most the limit", async (_how, declared) => {
    const body = countedBody(64 * 1024 * 1024, 0x61);
    const req = requestWith("http://localhost/api/auth/callback/credentials", body, { "content-type": "application/x-www-form-urlencoded" }, declared);
    const res = await POST(req, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(declared ? 0 : AUTH_BODY_LIMIT.maxBytes + READ_SLACK);
  });
});
