import "server-only";
import type { Logger } from "pino";
import { samplesToMicros, type MuxStreamEnd } from "@/core/mux";
import { TURN_FPS, type SessionStream, type TurnChunk } from "@/core/turn/turn-records";
import type { VisemeModelRunner } from "@/core/visemes/runner";
import type { Db } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { getAvatar } from "../avatars";
import { getLlmProvider, knowledgeFromSettings } from "../llm";
import type { TtsChunk } from "../tts";
import { ttsProvider, visemeRunner } from "./engine";
import { LiveHold, type HoldOwner } from "./live-hold";
import { preparedRig } from "./prepare";
import { openServerFrames, type ServerFrames } from "./server-frames";
import { videoCacheForTurn } from "../video-avatars/turn-cache";
import { speakReply, speakText, type Voice } from "./speech-source";
import { holdBudget, type TurnBudget } from "./turn-budget";
import { turnRecords } from "./turn-records";
import { emotionId } from "@/core/render/expression";
import { checkSpeakable, checkTurnInput, reservationMicros, turnLimitMicros, VIDEO_SIZE, type TurnRequest, type TurnTiming } from "./turn-request";
import { muxResponse } from "./turn-stream";

/** A workspace's caller (an API key, or the dashboard on the sandbox): its turns are billed. */
export type TurnCaller = HoldOwner;
/** Places for concurrent turns, each held until its streamed answer ends (server/http/concurrency-limit.ts). */
export type TurnPlaces = { stream(signal: AbortSignal, start: () => Promise<Response>): Promise<Response> };
/**
 * A caller nobody bills (the public demo): no ledger, so it is bounded instead — by its places, by
 * the longest turn it may have, and (at its route) per client address. It speaks as `avatarId`.
 */
export type FreeCaller = { avatarId: string; log: Logger; places: TurnPlaces; maxMicros: number };

/** What a turn says and shows, however it is paid for (a live session's responses are turns too). */
export type TurnSpec = {
  avatarId: string;
  manifestId: string | null;
  manifestVersion: number;
  runner: VisemeModelRunner;
  speech: (signal: AbortSignal) => AsyncIterable<TtsChunk>;
  frames: ServerFrames | null;
  timing: TurnTiming;
  log: Logger;
  /** The emotion the voice speaks with; the face shows it too (motion records, server frames). */
  emotion?: string;
  /** A live session's stream the turn continues (server/services/conversation). */
  stream?: SessionStream;
};
type OpenTurn = { first: TurnChunk; rest: AsyncGenerator<TurnChunk>; abort: AbortController };

/** The avatar's persona (system prompt) from its settings: `persona`, else `systemPrompt`. */
export function personaFromSettings(settings: Record<string, unknown>): string | undefined {
  const p = settings.persona ?? settings.systemPrompt;
  return typeof p === "string" && p.trim() ? p.slice(0, 8000) : undefined;
}

/**
 * Runs one billed realtime turn: checks input and avatar, reserves credits (402 before any byte),
 * starts speech and waits for the first audio (errors until then are HTTP errors and the hold is
 * voided), then streams the rest. The hold is renewed while the turn lives and grown when speech
 * runs past the estimate; it settles to the audio handed to the client, whenever and however the
 * client goes.
 */
export async function startTurn(db: Db, caller: TurnCaller, r: TurnRequest, signal?: AbortSignal): Promise<Response> {
  checkTurnInput(r);
  const avatar = await getAvatar(db, caller.tenantId, r.avatar_id);
  const entry = await preparedRig(db, avatar);
  const video = await videoCacheForTurn(db, avatar, entry.manifestId, { sourceKind: r.source_kind, videoCacheId: r.video_cache_id });
  const llm = r.mode === "chat" ? getLlmProvider({ env: getEnv(), environment: caller.environment, demo: false }) : null;
  const knowledge = llm ? knowledgeFromSettings(avatar.settings) : [];
  const [runner, frames] = await Promise.all([visemeRunner(), r.render === "server" ? openServerFrames(db, avatar, entry, video, VIDEO_SIZE) : null]);
  const tts = ttsProvider();
  const voice: Voice = { language: r.language, voiceId: r.voice_id ?? avatar.defaultVoiceId ?? undefined, speed: r.speed, emotion: r.emotion };
  const spec: TurnSpec = {
    avatarId: avatar.id,
    manifestId: entry.manifestId,
    manifestVersion: entry.version,
    runner,
    speech: (s) =>
      r.mode === "speak_text"
        ? speakText(tts, r.text!, voice, s)
        : speakReply(llm!, tts, { system: personaFromSettings(avatar.settings), messages: r.messages ?? [], knowledge }, voice, s),
    frames,
    timing: r,
    log: caller.log,
    emotion: r.emotion,
  };
  // A client that left while the turn was being prepared gets nothing held for it; a failure or a
  // disconnect before the first audio voids the hold; from then on the stream closes it.
  const [hold, turn] = await LiveHold.begin(db, caller, { amountMicros: reservationMicros(r), purpose: "realtime_turn", signal }, (h) =>
    openTurn(spec, holdBudget(h, turnLimitMicros(r)), signal),
  );
  const close = async (end: MuxStreamEnd) => {
    const micros = end.samples > 0 ? samplesToMicros(end.samples, end.sampleRate) : 0;
    await hold.close(micros, { kind: "realtime_turn", renderedMs: Math.floor((end.samples * 1000) / end.sampleRate), avatarId: avatar.id });
    caller.log.info({ reservationId: hold.id, samples: end.samples, micros, reason: end.reason }, micros > 0 ? "turn settled" : "turn voided");
  };
  return muxResponse(turn.first, turn.rest, {
    abort: turn.abort,
    onEnd: close,
    onSent: (sent) => hold.delivered(samplesToMicros(sent.samples, sent.sampleRate)),
    stop: hold.lost,
    log: caller.log,
    headers: { "X-Reservation-Id": hold.id, "X-Reserved-Credit-Micros": String(hold.amountMicros), ...timingHeaders(r) },
  });
}

/**
 * Runs one free speak_text turn (client rendering) for a caller nobody bills: the same pipeline as
 * a billed turn, with a place held for as long as its answer streams (503 when none is free) and
 * the caller's longest turn instead of a hold.
 */
export async function startFreeTurn(caller: FreeCaller, input: { text: string; voice: Voice; timing: TurnTiming }, signal: AbortSignal): Promise<Response> {
  checkSpeakable(input.text);
  return caller.places.stream(signal, async () => {
    const tts = ttsProvider();
    const spec: TurnSpec = {
      avatarId: caller.avatarId,
      manifestId: null,
      manifestVersion: 0,
      runner: await visemeRunner(),
      speech: (s) => speakText(tts, input.text, input.voice, s),
      frames: null,
      timing: input.timing,
      log: caller.log,
      emotion: input.voice.emotion,
    };
    const turn = await openTurn(spec, { maxMicros: caller.maxMicros }, signal);
    return muxResponse(turn.first, turn.rest, { abort: turn.abort, log: caller.log, headers: timingHeaders(input.timing) });
  });
}

/**
 * Starts a turn's records and waits for the first batch (the speech's first audio), so a failure up
 * to then is still thrown as an HTTP error. The client leaving, in any phase, stops the TTS, the
 * LLM and the viseme work.
 */
async function openTurn(spec: TurnSpec, budget: TurnSpecBudget, signal?: AbortSignal): Promise<OpenTurn> {
  const abort = new AbortController();
  if (signal) {
    if (signal.aborted) abort.abort(signal.reason);
    else signal.addEventListener("abort", () => abort.abort(signal.reason), { once: true });
  }
  try {
    const rest = specRecords(spec, budget, abort.signal);
    const first = await rest.next();
    if (first.done) throw new Error("turn produced no records");
    return { first: first.value, rest, abort };
  } catch (error) {
    abort.abort();
    throw error;
  }
}

type TurnSpecBudget = Pick<TurnBudget, "maxMicros"> & Partial<TurnBudget>;

/** A turn's records from its spec: the one entry below startTurn, shared with live sessions' responses. */
export function specRecords(spec: TurnSpec, budget: TurnSpecBudget, signal: AbortSignal): AsyncGenerator<TurnChunk> {
  return turnRecords({
    avatarId: spec.avatarId,
    manifestId: spec.manifestId,
    manifestVersion: spec.manifestVersion,
    fps: TURN_FPS,
    emotion: emotionId(spec.emotion),
    runner: spec.runner,
    speech: spec.speech(signal),
    frames: spec.frames,
    ...budget,
    lowLatencyFirstChunk: spec.timing.low_latency_first_chunk,
    playoutDelayMs: spec.timing.playout_delay_ms,
    maxBufferDelayMs: spec.timing.max_buffer_delay_ms,
    signal,
    log: spec.log,
    stream: spec.stream,
  });
}

/** The playout delay the stream was paced for: the player should buffer that much. */
function timingHeaders(t: TurnTiming): Record<string, string> {
  return { "X-Playout-Delay-Ms": String(t.playout_delay_ms) };
}
