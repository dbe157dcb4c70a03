// The public demo speak route: a signed-out request gets a playable, client-rendered mux; per-IP
// rate limit; no database, no ledger involved.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { readAvatarMux, type AvatarMuxEvent, type HeaderRecord } from "@/packages/sdk/src";
import { itRefusesHugeBodies } from "@/server/http/testing/body-limit-cases";
import { captureLogs } from "@/server/testing/capture-logs";
import { DEMO_BODY_LIMIT } from "@/server/services/realtime/demo-speak";
import { POST } from "./route";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  process.env.AUTH_SECRET ??= "test-secret-at-least-16-chars";
  // These requests come "through" one trusted proxy, so each test's X-Forwarded-For is its address.
  process.env.TRUSTED_PROXY = "1";
});

let nextAddress = 10;
const speak = (body: unknown, ip = "203.0.113.7", signal?: AbortSignal) =>
  POST(new Request("http://localhost/api/demo/speak", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body), signal }));
/** A visitor of their own (the per-address limit never interferes). */
const visitor = () => `198.18.0.${nextAddress++}`;

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

  it("answers with the request's id, errors included, and logs one line per request", async () => {
    const logs = captureLogs("info");
    onTestFinished(() => logs.stop());
    const headers = { "content-type": "application/json", "x-forwarded-for": visitor(), "x-request-id": "req-demo-1" };
    const res = await POST(new Request("http://localhost/api/demo/speak", { method: "POST", headers, body: JSON.stringify({ text: "..." }) }));
    expect(res.status).toBe(422);
    expect(res.headers.get("x-request-id")).toBe("req-demo-1");
    expect(logs.lines.filter((l) => l.requestId === "req-demo-1")).toEqual([expect.objectContaining({ msg: "demo request", route: "demoSpeak", status: 422 })]);
  });

  it.each([
    ["a NUL character", { text: "Hello\u0000there" }],
    ["a lone surrogate", { text: "Hello \ud800 there" }],
    ["a NUL in the language", { text: "Hello", language: "en\u0000" }],
  ])("refuses text with %s as 422 naming the field", async (_what, body) => {
    const res = await speak(body, visitor());
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "invalid_input" });
  });

  itRefusesHugeBodies("refuses a huge %s body with 413 as soon as it passes the limit, not after reading it", {
    url: "http://localhost/api/demo/speak",
    headers: () => ({ "content-type": "application/json", "x-forwarded-for": visitor() }),
    maxBytes: DEMO_BODY_LIMIT.maxBytes,
    send: POST,
    answer: { code: "payload_too_large", retryable: false },
  });
});

// The demo speaks for at most two visitors at a time. However a visitor leaves, their place must be
// given back: otherwise two unlucky disconnects switch the demo off ("busy") for everyone.
describe("POST /api/demo/speak gives its place back on every path", () => {
  /** Runs `leave` twice (as many as the demo has places), then checks a new visitor is served. */
  async function expectServedAfter(leave: () => Promise<void>) {
    await leave();
    await leave();
    const res = await speak({ text: "Still here?" }, visitor());
    expect(res.status, JSON.stringify(await res.clone().json().catch(() => "stream"))).toBe(200);
    await res.body!.cancel();
  }

  it("after complete streams", async () => {
    await expectServedAfter(async () => {
      const res = await speak({ text: "Hi." }, visitor());
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    });
  });

  it("after clients that disconnect mid-stream", async () => {
    await expectServedAfter(async () => {
      const res = await speak({ text: "A longer sentence that takes a while to say out loud." }, visitor());
      const reader = res.body!.getReader();
      await reader.read();
      await reader.cancel();
    });
  });

  it("after clients that were gone before the request was handled", async () => {
    await expectServedAfter(async () => {
      const gone = new AbortController();
      gone.abort();
      const res = await speak({ text: "Nobody hears this." }, visitor(), gone.signal);
      await res.body?.cancel().catch(() => undefined);
    });
  });

  it("after clients that disconnect while the first audio is being made", async () => {
    await expectServedAfter(async () => {
      const leaving = new AbortController();
      const pending = speak({ text: "Nobody hears this either." }, visitor(), leaving.signal);
      leaving.abort();
      // The server may or may not have had an answer ready; nobody reads it.
      await pending.catch(() => undefined);
    });
  });

  it("after clients that disconnect before reading a byte of the answer", async () => {
    await expectServedAfter(async () => {
      const leaving = new AbortController();
      const res = await speak({ text: "Headers only." }, visitor(), leaving.signal);
      expect(res.status).toBe(200);
      // The transport may never cancel the body of an answer it could not start to send.
      leaving.abort();
    });
  });

  it("after failed turns", async () => {
    await expectServedAfter(async () => {
      // Refused by the TTS once the turn has its place: an error after the place was taken.
      const res = await speak({ text: "Unknown voice.", voice_id: "no-such-voice-anywhere" }, visitor());
      expect(res.status).toBe(422);
    });
  });
});
