import "server-only";
import { z } from "zod";
import { storableText } from "@/core/text/storable";
import { ApiError } from "@/server/http/api-error";
import { ConcurrencyLimit } from "@/server/http/concurrency-limit";
import { bodyLimit } from "@/server/http/request-body";
import { logger } from "@/server/logger";
import { processState } from "@/server/process-state";
import { TokenBuckets } from "../rate-limit";
import { isSpeakable } from "../tts";
import { ttsProvider, visemeRunner } from "./engine";
import { speakText } from "./speech-source";
import { turnRecords } from "./turn-records";
import { TURN_FPS } from "./turn-request";
import { muxResponse } from "./turn-stream";

// The public demo's "type text and press speak": the embedded TTS and the viseme engine stream a
// client-rendered mux to anyone, signed out. No tenant, no ledger: it costs nobody credits, so it
// is bounded instead — per-IP token bucket, short text, and a few turns at a time per process.

/** Longest demo text. */
export const DEMO_MAX_CHARS = 300;
/** A demo request is a few hundred characters of JSON; anything much larger is refused unread. */
export const DEMO_BODY_LIMIT = bodyLimit(16 * 1024, 413, "demo requests");
// Per client IP: a burst of 5 turns, then one every 6 s.
const PER_SECOND = 1 / 6;
const BURST = 5;
const MAX_CONCURRENT = 2;

// The places are held per process (server/process-state.ts); a reset leaves running turns' places alone.
const limits = processState(
  "demoLimits",
  () => ({
    buckets: new TokenBuckets(10_000),
    places: new ConcurrencyLimit(
      MAX_CONCURRENT,
      () => new ApiError(503, "busy", "The demo is busy speaking for others; try again in a few seconds.", true, { "retry-after": "3" }),
    ),
  }),
  (l) => l.buckets.clear(),
);

export const demoSpeakBody = z
  .object({
    text: storableText.trim().min(1).max(DEMO_MAX_CHARS),
    voice_id: storableText.min(8).max(120).optional(),
    language: storableText.max(35).default("en"),
    speed: z.number().min(0.5).max(2).default(1),
  })
  .strict();

/** Charges one demo turn to `clientKey`; 429 with Retry-After when over the limit. */
export function chargeDemoRate(clientKey: string, now = Date.now()): void {
  const r = limits.buckets.take(`demo-speak:${clientKey}`, PER_SECOND, BURST, now);
  if (!r.allowed) throw new ApiError(429, "rate_limited", `Too many demo turns from this address; try again in ${r.retryAfterSeconds} s.`, true, { "retry-after": String(r.retryAfterSeconds) });
}

/** Streams a demo turn (motion only; the browser renders); 503 busy while MAX_CONCURRENT turns run. */
export async function demoSpeak(input: z.infer<typeof demoSpeakBody>, signal: AbortSignal): Promise<Response> {
  if (!isSpeakable(input.text)) throw new ApiError(422, "invalid_input", "text: has no letters or digits to speak.");
  return limits.places.stream(signal, async () => {
    const abort = new AbortController();
    // The client leaving (in any phase, even before this line) stops the TTS and the viseme work.
    if (signal.aborted) abort.abort(signal.reason);
    else signal.addEventListener("abort", () => abort.abort(signal.reason), { once: true });
    const runner = await visemeRunner();
    const records = turnRecords({
      avatarId: "demo",
      manifestId: null,
      manifestVersion: 0,
      fps: TURN_FPS,
      runner,
      speech: speakText(ttsProvider(), input.text, { language: input.language, voiceId: input.voice_id, speed: input.speed, emotion: "neutral" }, abort.signal),
      frames: null,
      maxMicros: 60_000_000,
      lowLatencyFirstChunk: true,
      playoutDelayMs: 520,
      maxBufferDelayMs: 120,
      signal: abort.signal,
    });
    const first = await records.next();
    if (first.done) throw new Error("demo turn produced no records");
    return muxResponse(first.value, records, { abort, log: logger.child({ via: "demo-speak" }), onEnd: async () => undefined });
  });
}
