// Prepare → turn → balance through the public REST handlers on PostgreSQL with a real test key; the
// stream is decoded with the SDK's readAvatarMux and checked against the ledger.
import { describe, expect, it, vi } from "vitest";
import { MuxReader } from "@/core/mux";
import { emotionId } from "@/core/render/expression";
import type { AudioRecord, AvatarMuxEvent, HeaderRecord, MotionRecord, UsageRecord } from "@/packages/sdk/src";
import { callRoute, mintKey } from "@/server/http/testing/test-api";
import { eq } from "drizzle-orm";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { apiKeys, avatars } from "@/server/db/schema";
import { ttsProvider } from "./engine";
import { createPortraitAvatar, decodeTurn, PORTRAIT, reservationsOf, seedCaller, testWallet, uploadImage, useTurnWorld } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  delete process.env.LLM_BASE_URL; // chat turns answer from the avatar's knowledge, not a model
});

const world = useTurnWorld("turn", 600_000_000, {
  persona: "You are the museum's astronaut guide.",
  knowledge: [{ question: "When is the museum open?", answer: "We are open every day from nine to five. Entry is free on Sundays." }],
});

const getAvatarJson = async (id: string) =>
  (await (await callRoute(world.routes.getAvatar, { path: `/api/v1/avatars/${id}`, key: world.caller.key, params: { avatarId: id } })).json()) as Record<string, unknown>;
const getAvatarJsonFor = async (key: string, id: string) =>
  (await (await callRoute(world.routes.getAvatar, { path: `/api/v1/avatars/${id}`, key, params: { avatarId: id } })).json()) as Record<string, unknown>;
const prepare = (key: string, id: string) => callRoute(world.routes.prepare, { method: "POST", path: "/api/v1/realtime/prepare", key, body: { avatar_id: id } });
const turn = (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  callRoute(world.routes.turn, { method: "POST", path: "/api/v1/realtime/turn", key, body: { playout_delay_ms: 2000, ...body }, headers });

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
  await vi.waitFor(async () => expect((await reservationsOf(world.db, tenantId)).at(-1)!.status).toBe("settled"));
  const res = (await reservationsOf(world.db, tenantId)).at(-1)!;
  expect(res.settledMicros).toBe(usage.renderedMicros);
  const after = await testWallet(world.db, tenantId);
  expect(before.available - after.availableMicros).toBe(usage.renderedMicros);
  expect(after.usedMicros - before.used).toBe(usage.renderedMicros);
  expect(after.reservedMicros).toBe(0);
  return { samples, frames, micros: usage.renderedMicros, header };
}

describe("realtime prepare", () => {
  it("prepares a new portrait avatar in the background, then answers prepare from the cache", async () => {
    expect(await getAvatarJson(world.avatarId)).toMatchObject({ cacheVersion: 1, cacheManifestId: expect.stringMatching(/^man_/) });
    const res = await prepare(world.caller.key, world.avatarId);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { registered: boolean; timings: { totalMs: number; cacheHit?: number } };
    expect(body).toMatchObject({ avatar_id: world.avatarId, status: "ready", source_kind: "portrait", model_id: "tic-portrait-v1", registered: false });
    expect(body.timings.cacheHit).toBe(1);
    console.log(`prepare cache hit: ${body.timings.totalMs} ms`);
  });

  it("rebuilds with the next version when the source image changes", async () => {
    const other = await uploadImage(world.caller.key, await sharp(readFileSync(PORTRAIT)).flop().png().toBuffer());
    await world.db.update(avatars).set({ sourceAssetId: other }).where(eq(avatars.id, world.avatarId));
    const res = await prepare(world.caller.key, world.avatarId);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { registered: boolean; renderer_avatar_id: string; timings: Record<string, number> };
    expect(body.registered).toBe(true);
    console.log(`prepare build: ${JSON.stringify(body.timings)}`);
    expect(await getAvatarJson(world.avatarId)).toMatchObject({ status: "ready", cacheVersion: 2, cacheManifestId: body.renderer_avatar_id });
  });

  it("marks an avatar without a face failed, with the reason in the API", async () => {
    const blank = await sharp({ create: { width: 320, height: 320, channels: 3, background: "#8899aa" } }).png().toBuffer();
    const assetId = await uploadImage(world.caller.key, blank);
    const created = await callRoute(world.routes.createAvatar, { method: "POST", path: "/api/v1/avatars", key: world.caller.key, body: { displayName: "Blank", sourceKind: "image", sourceAssetId: assetId } });
    const id = ((await created.json()) as { id: string }).id;
    await vi.waitFor(async () => expect((await getAvatarJson(id)).status).toBe("failed"), { timeout: 90_000, interval: 250 });
    expect((await getAvatarJson(id)).failureReason).toMatch(/face_not_found/);
    const res = await prepare(world.caller.key, id);
    expect(res.status).toBe(422);
    const speak = await turn(world.caller.key, { avatar_id: id, mode: "speak_text", text: "Hi." });
    expect(speak.status).toBe(409);
  });
});

describe("realtime turn", () => {
  for (const render of ["client", "server"] as const) {
    it(`speak_text, ${render} rendering: audio = usage = settled, one frame per 1/fps`, async () => {
      const w = await testWallet(world.db, world.caller.tenantId);
      const res = await turn(world.caller.key, { avatar_id: world.avatarId, mode: "speak_text", text: "Hello there. Welcome aboard the station.", render });
      expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-avatar-mux");
      const records = await decodeTurn(res);
      const texts = records.filter((r) => r.kind === "text_delta").map((r) => (r as { text: string }).text);
      expect(texts.join(" ")).toContain("Welcome aboard the station.");
      const { samples, header } = await checkBilled(records, world.caller.tenantId, { available: w.availableMicros, used: w.usedMicros }, render === "server");
      expect(samples / header.sampleRate).toBeGreaterThan(1);
      if (render === "server") expect(header).toMatchObject({ videoCodec: "jpeg", width: 256, height: 256 });
    });
  }

  it("the turn's emotion reaches the face: every motion record carries it (default curious) with the speech's gestures", async () => {
    const motion = async (body: Record<string, unknown>) => {
      const res = await turn(world.caller.key, { avatar_id: world.avatarId, mode: "speak_text", text: "Hello there! Welcome aboard the station, everyone.", ...body });
      expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
      return (await decodeTurn(res)).filter((r): r is MotionRecord => r.kind === "motion");
    };
    const byDefault = await motion({});
    expect(byDefault.length).toBeGreaterThan(25);
    expect(byDefault.every((m) => m.face?.emotion === emotionId("curious"))).toBe(true);
    const happy = await motion({ emotion: "happy", render: "server" });
    expect(happy.every((m) => m.face?.emotion === emotionId("happy"))).toBe(true);
    // Stressed syllables of the real TTS's speech nod the head; silence at the end does not.
    expect(Math.max(...happy.map((m) => m.face!.nod))).toBeGreaterThan(0.2);
    expect(happy.at(-1)!.face!.nod).toBeLessThan(0.2);
  });

  it("chat on a test key answers from the avatar's knowledge (FAQ responder), spoken sentence by sentence", async () => {
    const w = await testWallet(world.db, world.caller.tenantId);
    const res = await turn(world.caller.key, { avatar_id: world.avatarId, mode: "chat", messages: [{ role: "user", content: "when are you open?" }] });
    expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
    const records = await decodeTurn(res);
    const texts = records.filter((r) => r.kind === "text_delta").map((r) => (r as { text: string }).text.trim());
    expect(texts).toEqual(["We are open every day from nine to five.", "Entry is free on Sundays."]);
    await checkBilled(records, world.caller.tenantId, { available: w.availableMicros, used: w.usedMicros }, false);
  });

  it("a client that disconnects mid-stream pays only for the audio it was sent", async () => {
    const w = await testWallet(world.db, world.caller.tenantId);
    // Real-time pacing with no playout allowance: the server cannot run far ahead of the cut.
    const res = await turn(world.caller.key, { avatar_id: world.avatarId, mode: "speak_text", text: "This is a long sentence that keeps going for a while. ".repeat(4), playout_delay_ms: 0 });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const mux = new MuxReader();
    let samples = 0;
    while (samples < 22_050) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended early");
      for (const r of mux.push(value)) if (r.kind === "audio") samples += r.samples.length;
    }
    await reader.cancel();
    const [res0] = (await reservationsOf(world.db, world.caller.tenantId)).slice(-1);
    expect(res0!.status).toBe("settled");
    const sr = 22_050;
    expect(res0!.settledMicros).toBe(Math.floor((samples * 1e6) / sr));
    expect(res0!.settledMicros).toBeLessThan(res0!.amountMicros);
    const after = await testWallet(world.db, world.caller.tenantId);
    expect(w.availableMicros - after.availableMicros).toBe(res0!.settledMicros);
    expect(after.reservedMicros).toBe(0);
  });

  it("concurrent turns whose clients leave before the first byte hold nothing afterwards, in every phase", async () => {
    // A key whose spend limit covers the turns below only if every hold is released at once.
    const { apiKey: key, id: keyId } = await mintKey(world.db, world.caller.tenantId, { spendLimitCreditMicros: 40_000_000 });
    const text = "Leaving before the first byte should cost nothing at all, and hold nothing either.";
    const open = (signal: AbortSignal) =>
      world.routes.turn(
        new Request("http://localhost/api/v1/realtime/turn", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ avatar_id: world.avatarId, mode: "speak_text", text }),
          signal,
        }),
        { params: Promise.resolve({}) },
      );
    const phases = [
      // gone before the request is handled
      ...Array.from({ length: 2 }, () => ({ abortAfterMs: -1 })),
      // gone while the turn reserves and waits for its first audio
      ...[0, 5, 20, 60].map((abortAfterMs) => ({ abortAfterMs })),
      // gone once the headers arrived, before reading a byte (the body is never read nor cancelled)
      ...Array.from({ length: 2 }, () => ({ abortAfterMs: Infinity })),
    ];
    await Promise.all(
      phases.map(async ({ abortAfterMs }) => {
        const client = new AbortController();
        if (abortAfterMs < 0) client.abort();
        else if (Number.isFinite(abortAfterMs)) setTimeout(() => client.abort(), abortAfterMs);
        const res = await open(client.signal);
        client.abort();
        return res.status;
      }),
    );
    // Released at disconnect, not minutes later by the sweeper (it runs every 30 s here).
    await vi.waitFor(async () => expect((await reservationsOf(world.db, world.caller.tenantId)).filter((r) => r.status === "pending")).toHaveLength(0), { timeout: 5_000, interval: 100 });
    const [k] = await world.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(k).toMatchObject({ heldCreditMicros: 0, spentCreditMicros: 0 });
    expect((await testWallet(world.db, world.caller.tenantId)).reservedMicros).toBe(0);
    // The whole spend limit is available again.
    const after = await turn(key, { avatar_id: world.avatarId, mode: "speak_text", text });
    expect(after.status, after.status === 200 ? "" : await after.clone().text()).toBe(200);
    await decodeTurn(after);
  });

  for (const [text, language] of [
    ["The total is 1234567 dollars and 89 cents.", "en"],
    ["999999999999", "en"],
    ["你好，欢迎来到空间站。今天我们将参观所有的实验室，然后一起在餐厅吃午饭。", "zh"],
  ] as const) {
    it(`speak_text plays "${text}" (${language}) to the end, as long as the TTS says it`, async () => {
      const res = await turn(world.caller.key, { avatar_id: world.avatarId, mode: "speak_text", text, language, emotion: "neutral" });
      expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
      const records = await decodeTurn(res);
      expect(records.filter((r) => r.kind === "error")).toEqual([]);
      expect(records.at(-1)).toMatchObject({ kind: "end", reason: "complete" });
      // Everything the real TTS makes of the text was sent (the stream pads it to a whole frame).
      let spoken = 0;
      for await (const chunk of ttsProvider().synthesize({ text, language, speed: 1, emotion: "neutral" })) spoken += chunk.pcm.length;
      const sent = records.filter((r): r is AudioRecord => r.kind === "audio").reduce((n, r) => n + r.samples.length, 0);
      expect(sent).toBeGreaterThanOrEqual(spoken);
    });
  }

  it("reusing an Idempotency-Key answers 409 and charges once", async () => {
    const w = await testWallet(world.db, world.caller.tenantId);
    const body = { avatar_id: world.avatarId, mode: "speak_text", text: "Just once." };
    const first = await turn(world.caller.key, body, { "idempotency-key": "turn-once-1" });
    expect(first.status).toBe(200);
    const records = await decodeTurn(first);
    const again = await turn(world.caller.key, body, { "idempotency-key": "turn-once-1" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "idempotency_key_reused" });
    await checkBilled(records, world.caller.tenantId, { available: w.availableMicros, used: w.usedMicros }, false);
    expect((await reservationsOf(world.db, world.caller.tenantId)).filter((r) => r.status === "pending")).toHaveLength(0);
  });

  it("answers 402 before any byte when credits or the key's spend limit cannot cover the estimate", async () => {
    // A live key on a workspace that never bought credits (the sandbox allowance is for test keys).
    const poor = await seedCaller(world.db, 0, { environment: "live" });
    const res = await turn(poor.key, { avatar_id: world.avatarId, mode: "speak_text", text: "Hello." });
    expect(res.status).toBe(404); // another tenant's avatar: not found, never 403
    const own = await createPortraitAvatar(world.routes, poor.key);
    await vi.waitFor(async () => expect((await getAvatarJsonFor(poor.key, own)).status).toBe("ready"), { timeout: 90_000, interval: 250 });
    const broke = await turn(poor.key, { avatar_id: own, mode: "speak_text", text: "Hello from a workspace without live credits." });
    expect(broke.status).toBe(402);
    expect(broke.headers.get("content-type")).toMatch(/json/);
    expect(await broke.json()).toMatchObject({ code: "insufficient_credits", billingUrl: "/platform/billing" });
    const chat = await turn(poor.key, { avatar_id: own, mode: "chat", messages: [{ role: "user", content: "Hi" }] });
    expect(chat.status).toBe(503); // live keys need a configured LLM; the message says how
    expect(await chat.json()).toMatchObject({ code: "unavailable", error: expect.stringContaining("LLM_BASE_URL") });
    const limited = await seedCaller(world.db, 100_000_000, { spendLimitCreditMicros: 1_000_000 });
    const limitedAvatar = await createPortraitAvatar(world.routes, limited.key);
    await vi.waitFor(async () => expect((await getAvatarJsonFor(limited.key, limitedAvatar)).status).toBe("ready"), { timeout: 90_000, interval: 250 });
    const capped = await turn(limited.key, { avatar_id: limitedAvatar, mode: "speak_text", text: "Hello there, this is longer than a second." });
    expect(capped.status).toBe(402);
    expect(await capped.json()).toMatchObject({ code: "spend_limit_exceeded" });
    expect(await reservationsOf(world.db, poor.tenantId)).toHaveLength(0);
  });
});
