import "server-only";
import type { Logger } from "pino";
import { samplesToMicros } from "@/core/mux";
import type { Db } from "@/server/db/client";
import { getEnv } from "@/server/env";
import type { Environment } from "../credits/ledger";
import { getAvatar } from "../avatars";
import { getLlmProvider, knowledgeFromSettings } from "../llm";
import { ttsProvider, visemeRunner } from "./engine";
import { preparedRig } from "./prepare";
import { LiveHold } from "./live-hold";
import { ServerFrames } from "./server-frames";
import { speakReply, speakText, type Voice } from "./speech-source";
import { turnRecords, type TurnChunk } from "./turn-records";
import { holdBudget } from "./turn-budget";
import { checkTurnInput, reservationMicros, TURN_FPS, turnLimitMicros, VIDEO_SIZE, type TurnRequest } from "./turn-request";
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
 * then streams the rest. The hold is renewed while the turn lives and grown when speech runs past
 * the estimate; it settles to the audio handed to the client, whenever and however the client goes.
 */
export async function startTurn(db: Db, caller: TurnCaller, r: TurnRequest, signal?: AbortSignal): Promise<Response> {
  checkTurnInput(r);
  const avatar = await getAvatar(db, caller.tenantId, r.avatar_id);
  const entry = await preparedRig(db, avatar);
  const llm = r.mode === "chat" ? getLlmProvider({ env: getEnv(), environment: caller.environment, demo: false }) : null;
  const knowledge = llm ? knowledgeFromSettings(avatar.settings) : [];
  const [runner, frames] = await Promise.all([visemeRunner(), r.render === "server" ? ServerFrames.open(db, entry, VIDEO_SIZE) : null]);
  const tts = ttsProvider();
  // A client that left while the turn was being prepared gets nothing held for it.
  signal?.throwIfAborted();
  const hold = await LiveHold.reserve(db, caller, { amountMicros: reservationMicros(r), purpose: "realtime_turn" });

  // From here every path closes the hold: a failure or disconnect before the first audio voids it,
  // and muxResponse bills it at the end, at cancel, and at an abort before any byte was read.
  const abort = new AbortController();
  let records: AsyncGenerator<TurnChunk>;
  let first: IteratorResult<TurnChunk>;
  try {
    if (signal) {
      if (signal.aborted) abort.abort(signal.reason);
      else signal.addEventListener("abort", () => abort.abort(signal.reason), { once: true });
    }
    const voice: Voice = { language: r.language, voiceId: r.voice_id ?? avatar.defaultVoiceId ?? undefined, speed: r.speed, emotion: r.emotion };
    const speech =
      r.mode === "speak_text"
        ? speakText(tts, r.text!, voice, abort.signal)
        : speakReply(llm!, tts, { system: personaFromSettings(avatar.settings), messages: r.messages ?? [], knowledge }, voice, abort.signal);
    records = turnRecords({
      avatarId: avatar.id,
      manifestId: entry.manifestId,
      manifestVersion: entry.version,
      fps: TURN_FPS,
      runner,
      speech,
      frames,
      ...holdBudget(hold, turnLimitMicros(r)),
      lowLatencyFirstChunk: r.low_latency_first_chunk,
      playoutDelayMs: r.playout_delay_ms,
      maxBufferDelayMs: r.max_buffer_delay_ms,
      signal: abort.signal,
    });
    first = await records.next();
    if (first.done) throw new Error("turn produced no records");
  } catch (error) {
    abort.abort();
    await hold.close(0).catch((err: unknown) => caller.log.error({ err }, "could not void the turn's reservation"));
    throw error;
  }

  const close = async (end: StreamEnd) => {
    const micros = end.samples > 0 ? samplesToMicros(end.samples, end.sampleRate) : 0;
    await hold.close(micros, { kind: "realtime_turn", renderedMs: Math.floor((end.samples * 1000) / end.sampleRate), avatarId: avatar.id });
    caller.log.info({ reservationId: hold.id, samples: end.samples, micros, reason: end.reason }, micros > 0 ? "turn settled" : "turn voided");
  };
  return muxResponse(first.value, records, {
    abort,
    onEnd: close,
    onSent: (sent) => hold.delivered(samplesToMicros(sent.samples, sent.sampleRate)),
    billingStop: hold.lost,
    log: caller.log,
    headers: { "X-Reservation-Id": hold.id, "X-Reserved-Credit-Micros": String(hold.amountMicros), "X-Playout-Delay-Ms": String(r.playout_delay_ms) },
  });
}
