import "server-only";
import { z } from "zod";
import { realtimeTurnRequest } from "@/server/services/realtime/turn-schemas";
import { AppError } from "@/server/errors";
import { estimateSpeechSeconds } from "@/core/text/speech-duration";
import { isSpeakable } from "../tts";
import { ESPEAK_WPM, espeakProsody } from "../tts/espeak-params";

/**
 * The contract's RealtimeTurnRequest plus `render` (our addition, documented in the served OpenAPI
 * document): "client" streams motion for the viewer's GPU to draw; "server" adds JPEG video frames.
 */
export const turnRequest = realtimeTurnRequest.extend({
  render: z.enum(["client", "server"]).default("client"),
  speed: z.number().min(0.25).max(4).default(1),
});
export type TurnRequest = z.infer<typeof turnRequest>;

/** When a turn's records leave (pacing and buffering), with the contract's defaults: every caller's turn runs on these. */
export const turnTiming = realtimeTurnRequest.pick({ low_latency_first_chunk: true, playout_delay_ms: true, max_buffer_delay_ms: true });
export type TurnTiming = z.infer<typeof turnTiming>;

/** Side of server-rendered video frames in pixels. */
export const VIDEO_SIZE = 256;
/** Longest turn: one reservation never holds more than this. */
export const MAX_TURN_SECONDS = 300;
/** What a chat turn reserves: replies are cut at this length. */
export const CHAT_RESERVE_SECONDS = 60;

// The estimate is of espeak-ng (the default TTS) at the turn's rate; the margin and slack cover
// voices and providers a little slower than it. A turn that still runs past its hold grows it while
// it streams (turn-budget.ts), so the estimate decides what is held up front, not where speech ends.
const ESTIMATE_MARGIN = 1.15;
const SLACK_SECONDS = 1;

/** The text or messages a turn speaks, checked before anything is reserved. */
export function checkTurnInput(r: TurnRequest): void {
  if (r.mode === "speak_text") {
    if (!r.text) throw new AppError("invalid_input", "text: required when mode is 'speak_text'.", { field: "text" });
    checkSpeakable(r.text);
    return;
  }
  if (!r.messages?.some((m) => m.role === "user")) {
    throw new AppError("invalid_input", "messages: mode 'chat' needs at least one message with role 'user' (or use mode 'speak_text' with text).", { field: "messages" });
  }
}

/** Text with nothing to say (punctuation, emoji) is refused before anything is held or started. */
export function checkSpeakable(text: string): void {
  if (!isSpeakable(text)) throw new AppError("invalid_input", "text: has no letters or digits to speak.", { field: "text" });
}

/** Credit micros to hold for a turn up front: the estimated spoken length (speak_text) or the chat cap. */
export function reservationMicros(r: TurnRequest): number {
  let seconds: number;
  if (r.mode === "speak_text") {
    const rate = espeakProsody(r.speed, r.emotion).wpm / ESPEAK_WPM.normal;
    seconds = estimateSpeechSeconds(r.text!, { language: r.language, rate }) * ESTIMATE_MARGIN + SLACK_SECONDS;
  } else {
    seconds = CHAT_RESERVE_SECONDS;
  }
  return Math.ceil(Math.min(MAX_TURN_SECONDS, seconds) * 1_000_000);
}

/** The longest a turn may become by growing its hold: speak_text up to MAX_TURN_SECONDS; a chat reply is cut at its cap. */
export function turnLimitMicros(r: TurnRequest): number {
  return (r.mode === "speak_text" ? MAX_TURN_SECONDS : CHAT_RESERVE_SECONDS) * 1_000_000;
}
