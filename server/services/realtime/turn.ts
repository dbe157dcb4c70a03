import "server-only";
import type { Logger } from "pino";
import { samplesToMicros } from "@/core/mux";
import type { Db } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { reserveCredits, settleReservation, voidReservation, type Environment } from "../credits/ledger";
import { getAvatar } from "../avatars";
import { getLlmProvider, knowledgeFromSettings } from "../llm";
import { ttsProvider, visemeRunner } from "./engine";
import { preparedRig } from "./prepare";
import { ServerFrames } from "./server-frames";
import { speakReply, speakText, type Voice } from "./speech-source";
import { turnRecords } from "./turn-records";
import { checkTurnInput, reservationMicros, TURN_FPS, VIDEO_SIZE, type TurnRequest } from "./turn-request";
import { muxResponse, type StreamEnd } from "./turn-stream";

export type TurnCaller = { tenantId: string; environment: Environment; apiKeyId: string | null; log: Logger };

/** The avatar's persona (system prompt) from its settings: `persona`, else `systemPrompt`. */
export function personaFromSettings(settings: Record<string, unknown>): string | undefined {
  const p = settings.persona ?? settings.systemPrompt;
  return typeof p === "string" && p.trim() ? p.slice(0, 8000) : undefined;
}

/**
 * Runs one realtime turn: checks input and avatar, reserves credits (402 before any byte), starts
 * speech and waits for the first audio (errors until then are HTTP errors and the hold is voided),
 * then streams the rest. The reservation settles to the audio handed to the client.
 */
export async function startTurn(db: Db, caller: TurnCaller, r: TurnRequest, signal?: AbortSignal): Promise<Response> {
  checkTurnInput(r);
  const avatar = await getAvatar(db, caller.tenantId, r.avatar_id);
  const entry = await preparedRig(db, avatar);
  const llm = r.mode === "chat" ? getLlmProvider({ env: getEnv(), environment: caller.environment, demo: false }) : null;
  const knowledge = llm ? knowledgeFromSettings(avatar.settings) : [];
  const [runner, frames] = await Promise.all([visemeRunner(), r.render === "server" ? ServerFrames.open(db, entry, VIDEO_SIZE) : null]);
  const tts = ttsProvider();
  const maxMicros = reservationMicros(r);
  const reservation = await reserveCredits(db, { tenantId: caller.tenantId, environment: caller.environment, amountMicros: maxMicros, apiKeyId: caller.apiKeyId, purpose: "realtime_turn" });

  const abort = new AbortController();
  if (signal) {
    if (signal.aborted) abort.abort(signal.reason);
    else signal.addEventListener("abort", () => abort.abort(signal.reason), { once: true });
  }
  const voice: Voice = { language: r.language, voiceId: r.voice_id ?? avatar.defaultVoiceId ?? undefined, speed: r.speed, emotion: r.emotion };
  const speech =
    r.mode === "speak_text"
      ? speakText(tts, r.text!, voice, abort.signal)
      : speakReply(llm!, tts, { system: personaFromSettings(avatar.settings), messages: r.messages ?? [], knowledge }, voice, abort.signal);
  const records = turnRecords({
    avatarId: avatar.id,
    manifestId: entry.manifestId,
    manifestVersion: entry.version,
    fps: TURN_FPS,
    runner,
    speech,
    frames,
    maxMicros,
    lowLatencyFirstChunk: r.low_latency_first_chunk,
    playoutDelayMs: r.playout_delay_ms,
    maxBufferDelayMs: r.max_buffer_delay_ms,
    signal: abort.signal,
  });

  const close = async (end: StreamEnd) => {
    if (end.samples <= 0) {
      await voidReservation(db, { tenantId: caller.tenantId, reservationId: reservation.id });
      return;
    }
    const micros = Math.min(reservation.amountMicros, samplesToMicros(end.samples, end.sampleRate));
    await settleReservation(db, {
      tenantId: caller.tenantId,
      reservationId: reservation.id,
      actualMicros: micros,
      usage: { kind: "realtime_turn", renderedMs: Math.floor((end.samples * 1000) / end.sampleRate), avatarId: avatar.id },
    });
    caller.log.info({ reservationId: reservation.id, samples: end.samples, micros, reason: end.reason }, "turn settled");
  };

  let first;
  try {
    first = await records.next();
  } catch (error) {
    abort.abort();
    await voidReservation(db, { tenantId: caller.tenantId, reservationId: reservation.id }).catch((err: unknown) => caller.log.error({ err }, "could not void the turn's reservation"));
    throw error;
  }
  if (first.done) throw new Error("turn produced no records");
  return muxResponse(first.value, records, {
    abort,
    onEnd: close,
    log: caller.log,
    headers: { "X-Reservation-Id": reservation.id, "X-Reserved-Credit-Micros": String(reservation.amountMicros), "X-Playout-Delay-Ms": String(r.playout_delay_ms) },
  });
}
