import "server-only";
import type { Logger } from "pino";
import { z } from "zod";
import { storableText } from "@/core/text/storable";
import { AppError } from "@/server/errors";
import { processState } from "@/server/process-state";
import { ConcurrencyLimit } from "@/server/services/concurrency-limit";
import { bodyLimit } from "@/server/services/request-body";
import { AddressLimit } from "../rate-limit";
import { startFreeTurn, type FreeCaller } from "./turn";
import { turnTiming } from "./turn-request";

// The public demo's "type text and press speak": a free turn (the turn service's own pipeline) that
// streams a client-rendered mux to anyone, signed out. No tenant, no ledger: it costs nobody credits,
// so it is bounded instead — per-address token bucket, short text, and a few turns at a time.

/** Longest demo text. */
export const DEMO_MAX_CHARS = 300;
/** A demo request is a few hundred characters of JSON; anything much larger is refused unread. */
export const DEMO_BODY_LIMIT = bodyLimit(16 * 1024, 413, "demo requests");
const MAX_CONCURRENT = 2;
// Per process (server/process-state.ts): the per-address buckets and the places of running turns.
const limits = processState(
  "demoLimits",
  () => ({
    speak: new AddressLimit("demo-speak", { perSecond: 1 / 6, burst: 5 }, "demo turns"),
    places: new ConcurrencyLimit(
      MAX_CONCURRENT,
      () => new AppError("busy", "The demo is busy speaking for others; try again in a few seconds.", { kind: "unavailable", retryable: true, retryAfterSeconds: 3 }),
    ),
  }),
  (l) => l.speak.clear(),
);
/** Per client address: a burst of 5 turns, then one every 6 s. */
export const DEMO_SPEAK_LIMIT = limits.speak;
const places = limits.places;
/** A demo turn never outlasts this (its text is short; nothing else bounds a free turn's length). */
const DEMO_MAX_MICROS = 60_000_000;
/** The demo starts sounding as soon as it can: the first batch goes out without waiting for a whole one. */
const DEMO_TIMING = turnTiming.parse({ low_latency_first_chunk: true });


export const demoSpeakBody = z
  .object({
    text: storableText.trim().min(1).max(DEMO_MAX_CHARS),
    voice_id: storableText.min(8).max(120).optional(),
    language: storableText.max(35).default("en"),
    speed: z.number().min(0.5).max(2).default(1),
  })
  .strict();

/** Streams a demo turn (motion only; the browser renders); 503 busy while MAX_CONCURRENT turns run. */
export function demoSpeak(input: z.infer<typeof demoSpeakBody>, log: Logger, signal: AbortSignal): Promise<Response> {
  const caller: FreeCaller = { avatarId: "demo", log: log.child({ via: "demo-speak" }), places, maxMicros: DEMO_MAX_MICROS };
  const voice = { language: input.language, voiceId: input.voice_id, speed: input.speed, emotion: "neutral" };
  return startFreeTurn(caller, { text: input.text, voice, timing: DEMO_TIMING }, signal);
}
