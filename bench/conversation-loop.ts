/**
 * npm run bench:conversation-loop — the conversation loop's own latencies, in process (no socket):
 * one voice session (Silero VAD with silence_duration_ms 400, pocketsphinx, FAQ responder, espeak-ng
 * TTS, the viseme model) hears the bench's spoken questions (espeak-ng; the first/last sound of each
 * clip, by RMS, is its onset/end), pushed as 20 ms PCM chunks at real
 * time. Each question after the first is spoken while the avatar answers the one before (barge-in).
 *   response   last speech sample of the question pushed → first avatar audio record, p50/p95, with
 *              the breakdown: end-of-turn detection (→ speech_stopped), recogniser final (→
 *              transcription.completed), first reply text (→ response.text.delta), first audio
 *              (TTS + pipeline, → first audio record)
 *   barge-in   the question's first speech sample pushed → response.interrupted, p50/p95
 *   WER        the recogniser's word error rate on the questions
 * Env: BENCH_PG_ADMIN_URL (default the test server), BENCH_RUNS (20 questions).
 */
import { mkdtempSync, rmSync, createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerEvent } from "@/core/realtime/session-events";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
if (process.env.BENCH_PG_ADMIN_URL) process.env.TEST_PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL;
process.env.LOG_LEVEL ??= "silent";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * p) - 1))]!;
const fmt = (xs: number[]) => (xs.length ? `p50 ${pct(xs, 0.5).toFixed(0)} ms  p95 ${pct(xs, 0.95).toFixed(0)} ms  (n=${xs.length})` : "n=0");

async function main() {
  const storage = mkdtempSync(join(tmpdir(), "tic-bench-conv-"));
  process.env.STORAGE_DIR = storage;
  const { createPgDatabase, seedTenant } = await import("@/server/http/testing/test-api");
  const pg = await createPgDatabase("tic_bench");
  process.env.DATABASE_URL = pg.url;
  try {
    await run();
  } finally {
    const { resetProcessState } = await import("@/server/process-state");
    await resetProcessState();
    await pg.drop().catch(() => undefined);
    rmSync(storage, { recursive: true, force: true });
  }

  async function run() {
    const { getDb } = await import("@/server/db/client");
    const db = await getDb();
    const { grantCredits } = await import("@/server/services/credits/ledger");
    const { createAvatar } = await import("@/server/services/avatars");
    const { prepareAvatar } = await import("@/server/services/realtime/prepare");
    const { storeReceived } = await import("@/server/services/assets/assets");
    const { receiveToTempFile } = await import("@/server/services/assets/receive");
    const { getStorage } = await import("@/server/services/storage");
    const { DEFAULT_LIMITS } = await import("@/server/services/assets/config");
    const { logger } = await import("@/server/logger");
    const { realtimeSessions, realtimeThreads } = await import("@/server/db/schema");
    const { newId } = await import("@/core/ids/new-id");
    const { openConversation } = await import("@/server/services/conversation");
    const { BENCH_QUESTIONS } = await import("@/server/services/speech/testing/bench-questions");
    const { spoken, silence, joinPcm, soundBounds } = await import("@/server/services/speech/testing/speech-audio");
    const { wordErrorRate } = await import("@/core/text/word-error-rate");

    const tenant = await seedTenant(db, { plan: "enterprise", name: "Bench" });
    await grantCredits(db, { tenantId: tenant.id, environment: "test", amountMicros: 36_000_000_000, reason: "bench" });
    const deps = { storage: getStorage(), limits: DEFAULT_LIMITS, baseUrl: "http://bench.test", policy: () => ({ ok: true as const }) };
    const file = await receiveToTempFile(createReadStream(join(process.cwd(), "public/demo/astronaut.png")), { limits: DEFAULT_LIMITS, expectedKind: () => "image" });
    const asset = await storeReceived(db, tenant.id, file, { expectedKind: () => "image" }, deps);
    // Each question's answer is long enough for the next question to cut in.
    const knowledge = BENCH_QUESTIONS.map((q, i) => ({ question: q, answer: `Here is answer number ${i + 1}. It goes on for a while, so that you can cut in whenever you like. Thank you for asking about that.` }));
    const avatar = await createAvatar(db, tenant.id, { displayName: "Conversation bench", sourceKind: "image", sourceAssetId: asset.id, settings: { knowledge } });
    await prepareAvatar(db, tenant.id, avatar.id);
    const threadId = newId("thr");
    await db.insert(realtimeThreads).values({ id: threadId, tenantId: tenant.id, environment: "test", avatarId: avatar.id });
    const sessionId = newId("ses");
    await db.insert(realtimeSessions).values({ id: sessionId, tenantId: tenant.id, environment: "test", avatarId: avatar.id, threadId, config: {}, secretHash: newId("h"), secretExpiresAt: new Date(Date.now() + 3_600_000), status: "connected" });

    const log: { at: number; e: ServerEvent | { type: "audio" } }[] = [];
    const sink = {
      event: (e: ServerEvent) => log.push({ at: performance.now(), e }),
      // Every binary frame of a reply carries audio but its closing records; the first one is what latency counts.
      binary: () => void log.push({ at: performance.now(), e: { type: "audio" } }),
      bufferedBytes: () => 0,
      activity: () => undefined,
      usage: () => undefined,
    };
    const conversation = await openConversation(db, {
      sessionId, threadId, tenantId: tenant.id, environment: "test", apiKeyId: null, avatarId: avatar.id,
      outputModality: "audio", input: "voice", voice: null, prompt: null, language: "en", render: "client",
      turnDetection: { type: "server_vad", threshold: 0.5, silence_duration_ms: 400, prefix_padding_ms: 300 },
      inputSampleRate: 16_000, tools: [], log: logger,
    }, sink);

    const RATE = 16_000;
    const CHUNK = RATE / 50;
    /** Pushes pcm at real time; returns when the chunks holding the first and the last sound of `speech` went out. */
    async function talk(lead: Int16Array, speech: Int16Array, tail: Int16Array) {
      const pcm = joinPcm(lead, speech, tail);
      const bounds = soundBounds(speech, RATE) ?? { startMs: 0, endMs: (speech.length * 1000) / RATE };
      const soundFrom = lead.length + (bounds.startMs * RATE) / 1000;
      const soundTo = lead.length + (bounds.endMs * RATE) / 1000;
      const t0 = performance.now();
      let onset = 0;
      let last = 0;
      for (let at = 0, i = 0; at < pcm.length; at += CHUNK, i++) {
        conversation.appendAudio(pcm.slice(at, at + CHUNK));
        const end = at + CHUNK;
        if (!onset && end > soundFrom) onset = performance.now();
        if (!last && end >= soundTo) last = performance.now();
        const due = t0 + (i + 1) * 20 - performance.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
      }
      return { onset, last };
    }
    const after = (from: number, type: string, at = 0) => log.slice(from).find((l) => l.e.type === type && l.at >= at);
    const waitFor = async (from: number, type: string, timeoutMs = 20_000) => {
      const end = performance.now() + timeoutMs;
      for (;;) {
        const found = after(from, type);
        if (found) return found;
        if (performance.now() > end) return null;
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    const response: number[] = [];
    const parts = { detect: [] as number[], recognise: [] as number[], llm: [] as number[], audio: [] as number[] };
    const bargeIn: number[] = [];
    const pairs: { reference: string; hypothesis: string }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const q = BENCH_QUESTIONS[i % BENCH_QUESTIONS.length]!;
      const from = log.length;
      const { onset, last } = await talk(silence(200), await spoken(q, RATE), silence(600));
      const stopped = await waitFor(from, "input_audio_buffer.speech_stopped");
      const heard = await waitFor(from, "conversation.item.input_audio_transcription.completed");
      const created = await waitFor(from, "response.created");
      if (!stopped || !heard || !created) {
        console.log(`question ${i + 1}: no turn detected or recognised (${q})`);
        continue;
      }
      pairs.push({ reference: q, hypothesis: (heard.e as { transcript: string }).transcript });
      const reply = log.indexOf(created);
      const delta = await waitFor(reply, "response.text.delta");
      const audio = await waitFor(reply, "audio");
      if (i > 0) {
        const cut = after(from, "response.interrupted");
        if (cut) bargeIn.push(cut.at - onset);
      }
      if (!delta || !audio) continue;
      response.push(audio.at - last);
      parts.detect.push(stopped.at - last);
      parts.recognise.push(heard.at - stopped.at);
      parts.llm.push(delta.at - heard.at);
      parts.audio.push(audio.at - delta.at);
      await new Promise((r) => setTimeout(r, 800)); // the avatar speaks a little before the next question cuts in
    }
    await conversation.close("client_closed");
    console.log(`conversation loop (in process, embedded stack, silence_duration_ms 400), ${RUNS} spoken questions:`);
    console.log(`  response latency (last speech sample → first avatar audio): ${fmt(response)}  [target p50 ≤ 700, p95 ≤ 1000]`);
    console.log(`    end-of-turn detection: ${fmt(parts.detect)}`);
    console.log(`    recogniser final:      ${fmt(parts.recognise)}`);
    console.log(`    first reply text:      ${fmt(parts.llm)}`);
    console.log(`    first audio (TTS + pipeline): ${fmt(parts.audio)}`);
    console.log(`  barge-in (speech onset → response.interrupted): ${fmt(bargeIn)}  [target p95 ≤ 250]`);
    console.log(`  recogniser word error rate: ${(wordErrorRate(pairs) * 100).toFixed(1)} % over ${pairs.length} questions`);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
