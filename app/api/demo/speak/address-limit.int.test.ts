// The demo's per-address limit cannot be dodged by writing a new X-Forwarded-For on each request:
// with no trusted proxy configured (TRUSTED_PROXY unset) the header is ignored.
import { describe, expect, it, vi } from "vitest";
import { POST } from "./route";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  process.env.AUTH_SECRET ??= "test-secret-at-least-16-chars";
  delete process.env.TRUSTED_PROXY;
});

describe("POST /api/demo/speak without a trusted proxy", () => {
  it("limits a caller who claims a different address on every request", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const headers = { "content-type": "application/json", "x-forwarded-for": `192.0.2.${i + 1}`, "x-real-ip": `192.0.2.${i + 1}` };
      // Unspeakable text: a cheap 422 that is still charged to the caller's bucket.
      const res = await POST(new Request("http://localhost/api/demo/speak", { method: "POST", headers, body: JSON.stringify({ text: "..." }) }));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
  });
});
