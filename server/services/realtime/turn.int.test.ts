// Prepare → turn → balance through the public REST handlers on PostgreSQL with a real test key; the
// stream is decoded with the SDK's readAvatarMux and checked against the ledger.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AudioRecord, AvatarMuxEvent, HeaderRecord, UsageRecord } from "@/packages/sdk/src";
import type { Db } from "@/server/db/client";
import { callRoute, useTestDatabase } from "@/server/http/testing/test-api";
import { createPortraitAvatar, decodeTurn, loadRoutes, reservationsOf, seedCaller, testWallet, type Routes } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const storageDir = mkdtempSync(join(tmpdir(), "tic-turn-"));
let db: Db;
let cleanup: () => Promise<void>;
let routes: Routes;
let caller: { tenantId: string; key: string };
let avatarId: string;

beforeAll(async () => {
  process.env.STORAGE_DIR = storageDir;
  delete process.env.LLM_BASE_URL;
  ({ db, cleanup } = await useTestDatabase("postgres"));
  routes = await loadRoutes();
  caller = await seedCaller(db, 600_000_000);
  avatarId = await createPortraitAvatar(routes, caller.key, {
    persona: "You are the museum's astronaut guide.",
    knowledge: [{ question: "When is the museum open?", answer: "We are open every day from nine to five. Entry is free on Sundays." }],
  });
});
afterAll(async () => {
  await cleanup();
  rmSync(storageDir, { recursive: true, force: true });
});

const prepare = (key: string, id: string) => callRoute(routes.prepare, { method: "POST", path: "/api/v1/realtime/prepare", key, body: { avatar_id: id } });
const turn = (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  callRoute(routes.turn, { method: "POST", path: "/api/v1/realtime/turn", key, body: { playout_delay_ms: 2000, ...body }, headers });

/** Checks the stream's clock and usage against the ledger; returns the settled micros. */
async function checkBilled(records: AvatarMuxEvent[], tenantId: string, before: { available: number; used: number }, video: boolean) {
  const header = records[0] as HeaderRecord;
  expect(header.kind).toBe("header");
  const samples = records.filter((r): r is AudioRecord => r.kind === "audio").reduce((n, r) => n + r.samples.length, 0);
  const frames = Math.round((samples * header.fps) / header.sampleRate);
  expect(samples * header.fps % header.sampleRate).toBe(0); // whole frames of audio
  expect(records.filter((r) => r.kind === "motion")).toHaveLength(frames);
  expect(records.filter((r) => r.kind === "video")).toHaveLength(video ? frames : 0);
  const usage = records.filter((r): r is UsageRecord => r.kind === "usage").at(-1)!;
  expect(usage.renderedSamples).toBe(samples);
  expect(usage.renderedMicros).toBe(Math.floor((samples * 1e6) / header.sampleRate));
  expect(records.at(-1)).toMatchObject({ kind: "end", reason: "complete", totalSamples: samples });
  // The ledger closes after the last byte; give the settle transaction a moment.
  await vi.waitFor(async () => expect((await reservationsOf(db, tenantId)).at(-1)!.status).toBe("settled"));
  const res = (await reservationsOf(db, tenantId)).at(-1)!;
  expect(res.settledMicros).toBe(usage.renderedMicros);
  const after = await testWallet(db, tenantId);
  expect(before.available - after.availableMicros).toBe(usage.renderedMicros);
  expect(after.usedMicros - before.used).toBe(usage.renderedMicros);
  expect(after.reservedMicros).toBe(0);
  return { samples, frames, micros: usage.renderedMicros, header };
}

describe("realtime prepare", () => {
  it("builds the rig once, then answers from the cache", async () => {
    const first = await prepare(caller.key, avatarId);
    expect(first.status, await first.clone().text()).toBe(200);
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ avatar_id: avatarId, status: "ready", source_kind: "portrait", model_id: "tic-portrait-v1" });
    const again = await prepare(caller.key, avatarId);
    const hit = (await again.json()) as { registered: boolean; timings: { totalMs: number; cacheHit?: number } };
    expect(hit.registered).toBe(false);
    expect(hit.timings.cacheHit).toBe(1);
    console.log(`prepare: first ${JSON.stringify(body.timings)}; cache hit ${hit.timings.totalMs} ms`);
  });
});

describe("realtime turn", () => {
  for (const render of ["client", "server"] as const) {
    it(`speak_text, ${render} rendering: audio = usage = settled, one frame per 1/fps`, async () => {
      const w = await testWallet(db, caller.tenantId);
      const res = await turn(caller.key, { avatar_id: avatarId, mode: "speak_text", text: "Hello there. Welcome aboard the station.", render });
      expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-avatar-mux");
      const records = await decodeTurn(res);
      const texts = records.filter((r) => r.kind === "text_delta").map((r) => (r as { text: string }).text);
      expect(texts.join(" ")).toContain("Welcome aboard the station.");
      const { samples, header } = await checkBilled(records, caller.tenantId, { available: w.availableMicros, used: w.usedMicros }, render === "server");
      expect(samples / header.sampleRate).toBeGreaterThan(1);
      if (render === "server") expect(header).toMatchObject({ videoCodec: "jpeg", width: 256, height: 256 });
    });
  }
});
