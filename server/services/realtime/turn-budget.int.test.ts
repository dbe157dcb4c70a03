// A turn whose speech runs past its hold (an estimate that came out low) grows the hold while it
// streams, with the real TTS and viseme model and a real ledger; it is cut only when the balance,
// the key's spend limit or the longest turn runs out, with that code.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MuxReader, samplesToMicros, type MuxRecord } from "@/core/mux";
import type { Db } from "@/server/db/client";
import { mintKey, seedTenant, useTestDatabase } from "@/server/http/testing/test-api";
import { logger } from "@/server/logger";
import { grantCredits } from "../credits/ledger";
import { ttsProvider, visemeRunner } from "./engine";
import { LiveHold, type HoldOwner } from "./live-hold";
import { speakText } from "./speech-source";
import { holdBudget } from "./turn-budget";
import { turnRecords } from "./turn-records";
import { reservationsOf } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const S = 1_000_000;
// About 9 s of speech at speed 1.
const TEXT = "This sentence is longer than the hold it starts with. It keeps going, and going, so the hold must grow.";

let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await useTestDatabase("postgres"));
});
afterAll(() => cleanup());

async function owner(liveCredits: number, spendLimitCreditMicros?: number): Promise<HoldOwner> {
  const t = await seedTenant(db);
  if (liveCredits > 0) await grantCredits(db, { tenantId: t.id, environment: "live", amountMicros: liveCredits, reason: "test" });
  const { id } = await mintKey(db, t.id, { environment: "live", spendLimitCreditMicros });
  return { tenantId: t.id, environment: "live", apiKeyId: id, log: logger };
}

/** Streams TEXT on a hold of `holdMicros`, limited to `limitMicros`; returns the records, the audio sent, and the hold. */
async function speak(who: HoldOwner, holdMicros: number, limitMicros = 300 * S) {
  const hold = await LiveHold.reserve(db, who, { amountMicros: holdMicros, purpose: "realtime_turn" });
  const abort = new AbortController();
  const records = turnRecords({
    avatarId: "test",
    manifestId: null,
    manifestVersion: 0,
    fps: 25,
    runner: await visemeRunner(),
    speech: speakText(ttsProvider(), TEXT, { language: "en", speed: 1, emotion: "neutral" }, abort.signal),
    frames: null,
    ...holdBudget(hold, limitMicros),
    lowLatencyFirstChunk: false,
    playoutDelayMs: 600_000, // no real-time pacing in this test
    maxBufferDelayMs: 120,
    signal: abort.signal,
  });
  const mux = new MuxReader();
  const out: MuxRecord[] = [];
  let sent = { samples: 0, sampleRate: 22_050 };
  for await (const chunk of records) {
    out.push(...mux.push(chunk.bytes));
    sent = { samples: chunk.samples, sampleRate: chunk.sampleRate };
  }
  const micros = samplesToMicros(sent.samples, sent.sampleRate);
  await hold.close(micros);
  const [row] = (await reservationsOf(db, who.tenantId)).slice(-1);
  return { records: out, micros, row: row!, errors: out.filter((r) => r.kind === "error") };
}

describe("a turn's hold grows while it streams", () => {
  it("speech past a low estimate plays to the end, billed for all of it", async () => {
    const who = await owner(100 * S);
    const { records, micros, row, errors } = await speak(who, S);
    expect(errors).toEqual([]);
    expect(records.at(-1)).toMatchObject({ kind: "end", reason: "complete" });
    expect(micros).toBeGreaterThan(5 * S);
    expect(row).toMatchObject({ status: "settled", settledMicros: micros });
    expect(row.amountMicros).toBeGreaterThanOrEqual(micros);
  });

  it("is cut with insufficient_credits when the balance runs out, billed for what was sent", async () => {
    const who = await owner(3 * S);
    const { records, micros, row, errors } = await speak(who, S);
    expect(errors).toMatchObject([{ code: "insufficient_credits" }]);
    expect(records.at(-1)).toMatchObject({ kind: "end", reason: "error" });
    expect(micros).toBeGreaterThan(2.5 * S);
    expect(micros).toBeLessThanOrEqual(3 * S);
    expect(row).toMatchObject({ status: "settled", settledMicros: micros });
  });

  it("is cut with spend_limit_exceeded at the key's limit, and turn_duration_limit at the longest turn", async () => {
    const limited = await speak(await owner(100 * S, 2 * S), S);
    expect(limited.errors).toMatchObject([{ code: "spend_limit_exceeded" }]);
    expect(limited.micros).toBeLessThanOrEqual(2 * S);
    const short = await speak(await owner(100 * S), S, 4 * S);
    expect(short.errors).toMatchObject([{ code: "turn_duration_limit" }]);
    expect(short.micros).toBeLessThanOrEqual(4 * S);
    expect(short.micros).toBeGreaterThan(3.5 * S);
  });
});
