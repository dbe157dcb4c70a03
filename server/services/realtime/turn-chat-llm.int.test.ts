// A chat turn against an OpenAI-compatible server (a local fake started here): the persona is the
// system prompt, and the first sentence is streamed as audio before the model has finished its reply.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AvatarMuxEvent } from "@/packages/sdk/src";
import { readAvatarMux } from "@/packages/sdk/src";
import type { Db } from "@/server/db/client";
import { callRoute, useTestDatabase } from "@/server/http/testing/test-api";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../llm/testing/fake-openai-server";
import { createPortraitAvatar, loadRoutes, reservationsOf, seedCaller, type Routes } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-chat-"));
let llm: FakeOpenAiServer;
let db: Db;
let cleanup: () => Promise<void>;
let routes: Routes;
let caller: { tenantId: string; key: string };
let avatarId: string;

const sseChunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

beforeAll(async () => {
  llm = await startFakeOpenAiServer();
  // getEnv() is read once per process: configure the LLM before anything reads it.
  process.env.LLM_BASE_URL = llm.baseUrl;
  process.env.LLM_MODEL = "fake-model";
  process.env.STORAGE_DIR = storageDir;
  ({ db, cleanup } = await useTestDatabase("postgres"));
  routes = await loadRoutes();
  caller = await seedCaller(db, 0, { environment: "test" });
  avatarId = await createPortraitAvatar(routes, caller.key, { persona: "You are Ada, a cheerful station guide." });
  const res = await callRoute(routes.prepare, { method: "POST", path: "/api/v1/realtime/prepare", key: caller.key, body: { avatar_id: avatarId } });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await cleanup();
  await llm.close();
  rmSync(storageDir, { recursive: true, force: true });
});

describe("chat turn with an OpenAI-compatible LLM", () => {
  it("speaks the first sentence while the model is still writing, with the persona as system prompt", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let secondSentAt = 0;
    llm.handle(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sseChunk("Hello from the station. "));
      await gate; // the rest of the reply waits until the test has heard the first sentence
      secondSentAt = performance.now();
      res.end(`${sseChunk("The airlock is to your left.")}data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`);
    });
    const res = await callRoute(routes.turn, {
      method: "POST",
      path: "/api/v1/realtime/turn",
      key: caller.key,
      body: { avatar_id: avatarId, mode: "chat", messages: [{ role: "user", content: "Where am I?" }], playout_delay_ms: 2000, max_buffer_delay_ms: 0 },
    });
    expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
    const records: AvatarMuxEvent[] = [];
    let firstAudioAt = 0;
    for await (const r of readAvatarMux(res)) {
      records.push(r);
      if (r.kind === "audio" && !firstAudioAt) {
        firstAudioAt = performance.now();
        release();
      }
    }
    release();
    expect(firstAudioAt).toBeGreaterThan(0);
    expect(firstAudioAt).toBeLessThan(secondSentAt);
    const texts = records.filter((r) => r.kind === "text_delta").map((r) => (r as { text: string }).text.trim());
    expect(texts).toEqual(["Hello from the station.", "The airlock is to your left."]);
    expect(records.at(-1)).toMatchObject({ kind: "end", reason: "complete" });
    const sent = llm.requests.at(-1)!.body as { model: string; messages: { role: string; content: string }[] };
    expect(sent.model).toBe("fake-model");
    expect(sent.messages[0]).toMatchObject({ role: "system", content: expect.stringContaining("You are Ada") });
    expect(sent.messages.at(-1)).toEqual({ role: "user", content: "Where am I?" });
    await vi.waitFor(async () => expect((await reservationsOf(db, caller.tenantId)).at(-1)!.status).toBe("settled"));
  });

  it("an LLM failure before any audio is an HTTP error and the hold is voided", async () => {
    llm.handle((_req, res) => res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "boom", type: "server_error" } })));
    const res = await callRoute(routes.turn, {
      method: "POST",
      path: "/api/v1/realtime/turn",
      key: caller.key,
      body: { avatar_id: avatarId, mode: "chat", messages: [{ role: "user", content: "Hello?" }] },
    });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: "upstream_failed", retryable: true });
    expect((await reservationsOf(db, caller.tenantId)).at(-1)).toMatchObject({ status: "voided" });
  });

  it("an LLM failure after audio was sent is an error record then end; the turn settles what was sent", async () => {
    llm.handle(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sseChunk("This first sentence is spoken in full. "));
      await new Promise((r) => setTimeout(r, 1500));
      res.end(`data: ${JSON.stringify({ error: { message: "The server had an error", type: "server_error" } })}\n\n`);
    });
    const res = await callRoute(routes.turn, {
      method: "POST",
      path: "/api/v1/realtime/turn",
      key: caller.key,
      body: { avatar_id: avatarId, mode: "chat", messages: [{ role: "user", content: "Tell me more." }], playout_delay_ms: 2000 },
    });
    expect(res.status).toBe(200);
    const records: AvatarMuxEvent[] = [];
    for await (const r of readAvatarMux(res)) records.push(r);
    const samples = records.reduce((n, r) => n + (r.kind === "audio" ? r.samples.length : 0), 0);
    expect(samples).toBeGreaterThan(0);
    expect(records.at(-2)).toMatchObject({ kind: "error", code: "upstream_failed", retryable: true });
    expect(records.at(-1)).toMatchObject({ kind: "end", reason: "error", totalSamples: samples });
    const usage = records.filter((r) => r.kind === "usage").at(-1) as { renderedMicros: number };
    await vi.waitFor(async () => expect((await reservationsOf(db, caller.tenantId)).at(-1)).toMatchObject({ status: "settled", settledMicros: usage.renderedMicros }));
  });
});
