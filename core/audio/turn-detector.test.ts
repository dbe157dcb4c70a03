import { describe, expect, it } from "vitest";
import { SILERO_FRAME, type VadStream } from "./silero-vad";
import { createTurnDetectorOn, TURN_DEFAULTS, type TurnEvent } from "./turn-detector";

// The detector's onset rules on a scripted probability sequence (one value per 32 ms frame), so each
// case pins the frame at which a turn starts. The real model's behaviour on real speech is covered by
// server/services/speech/turn-detector.int.test.ts; this pins the state machine between the two.

const FRAME_MS = (SILERO_FRAME * 1000) / 16_000;

function scripted(probs: number[]): VadStream {
  let i = 0;
  return { score: async () => probs[i++] ?? 0, reset: () => undefined };
}

async function run(probs: number[]) {
  const events: TurnEvent[] = [];
  const detector = createTurnDetectorOn(scripted(probs), { ...TURN_DEFAULTS, minSpeechMs: 120, silenceDurationMs: 320 }, 16_000, (e) => events.push(e));
  await detector.push(new Int16Array(probs.length * SILERO_FRAME));
  return events;
}

const started = (events: TurnEvent[]) => events.find((e) => e.type === "speech_started") as Extract<TurnEvent, { type: "speech_started" }> | undefined;

describe("turn detector onsets", () => {
  it("confirms a steady onset after min_speech_ms of confident frames", async () => {
    const s = started(await run([0, 0, 0.9, 1, 1, 1, 1, 1, 1, 1]));
    expect(s?.audioStartMs).toBe(2 * FRAME_MS);
    expect(s?.confirmedAtMs).toBe(6 * FRAME_MS);
  });

  it("keeps an onset through a stop consonant's one-frame dip instead of starting it again", async () => {
    // "How can…": three confident frames, the /k/ closure, then the vowel.
    const s = started(await run([0, 0, 0.98, 1, 0.94, 0.07, 0.78, 0.99, 1, 1, 1, 1]));
    expect(s?.audioStartMs).toBe(2 * FRAME_MS);
    // The fourth confident frame (index 6), not four frames after the dip (index 9).
    expect(s?.confirmedAtMs).toBe(7 * FRAME_MS);
  });

  it("drops a false start: three confident frames then quiet never start a turn", async () => {
    expect(started(await run([0, 0.95, 1, 0.9, 0.05, 0.02, 0.01, 0, 0, 0, 0, 0]))).toBeUndefined();
  });

  it("starts a new onset after a gap longer than a consonant's closure", async () => {
    // Two bursts of three frames, three quiet frames apart: the second onset counts from its own start.
    const s = started(await run([0.95, 1, 0.9, 0.05, 0.05, 0.05, 0.9, 1, 1, 1, 1]));
    expect(s?.audioStartMs).toBe(6 * FRAME_MS);
    expect(s?.confirmedAtMs).toBe(10 * FRAME_MS);
  });
});
