// The public demo speak route: a signed-out request gets a playable, client-rendered mux; per-IP
// rate limit; no database, no ledger involved.
import { describe, expect, it, vi } from "vitest";
import { readAvatarMux, type AvatarMuxEvent, type HeaderRecord } from "@/packages/sdk/src";
import { POST } from "./route";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  process.env.AUTH_SECRET ??= "test-secret-at-least-16-chars";
});

const speak = (body: unknown, ip = "203.0.113.7") =>
  POST(new Request("http://localhost/api/demo/speak", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body) }));

describe("POST /api/demo/speak", () => {
  it("streams speech with one motion record per frame and no video", async () => {
    const res = await speak({ text: "Hello from the demo." });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-avatar-mux");
    const records: AvatarMuxEvent[] = [];
    for await (const r of readAvatarMux(res)) records.push(r);
    const header = records[0] as HeaderRecord;
    const samples = records.reduce((n, r) => n + (r.kind === "audio" ? r.samples.length : 0), 0);
    expect(samples).toBeGreaterThan(header.sampleRate / 2);
    expect(records.filter((r) => r.kind === "motion")).toHaveLength((samples * header.fps) / header.sampleRate);
    expect(records.some((r) => r.kind === "video")).toBe(false);
    expect(records.filter((r) => r.kind === "text_delta").map((r) => (r as { text: string }).text.trim())).toEqual(["Hello from the demo."]);
    expect(records.at(-1)).toMatchObject({ kind: "end", reason: "complete" });
  });

  it("refuses bad input and limits each address", async () => {
    expect((await speak({ text: "" }, "203.0.113.8")).status).toBe(422);
    expect((await speak({ text: "x".repeat(301) }, "203.0.113.8")).status).toBe(422);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await speak({ text: "..." }, "203.0.113.9"); // unspeakable: cheap 422, still charged to the bucket
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
    expect(statuses[5]).toBe(429);
  });
});
