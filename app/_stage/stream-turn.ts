import { floatToPcm16 } from "@/core/audio/pcm16";
import { CodedError } from "@/core/coded-error";
import { muxStream } from "@/core/mux";
import type { MouthSource } from "@/core/turn/mouth-source";
import { TURN_FPS, turnRecords, type SpeechChunk } from "@/core/turn/turn-records";

/** A streaming mouth-track source: push PCM, get the frames that became ready (the lipsync worker). */
export type MouthFrameStream = MouthSource;

/**
 * Streams a clip as an avatar mux while the viseme model analyses it, through the same turn pipeline
 * as a realtime turn on the server (core/turn): the same frame rate and the same mouth per frame, so
 * the page shows the lips a REST turn would. Each pull feeds the model until the next batch of
 * audio and motion is known; the player starts after the first batch instead of after the whole
 * clip, exactly as it would on a realtime turn arriving over the network.
 */
export function streamTurn(input: { pcm: Float32Array; sampleRate: number; mouth: MouthFrameStream; avatarId?: string }): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  let opened = false;
  // A player that stops early closes the worker's stream, so the worker does not keep its state.
  const mouth: MouthSource = { fps: input.mouth.fps, push: (pcm) => input.mouth.push(pcm), end: () => input.mouth.end(), dispose: () => void input.mouth.end().catch(() => undefined) };
  abort.signal.addEventListener(
    "abort",
    () => {
      if (!opened) mouth.dispose!();
    },
    { once: true },
  );
  const records = turnRecords({
    avatarId: input.avatarId ?? "demo",
    manifestId: null,
    manifestVersion: 0,
    fps: TURN_FPS,
    mouth: () => ((opened = true), mouth),
    speech: clip(floatToPcm16(input.pcm), input.sampleRate),
    frames: null,
    maxMicros: Infinity, // a local clip costs nothing; decode-audio.ts bounds its length
    lowLatencyFirstChunk: true,
    playoutDelayMs: Infinity, // no pacing: the player pulls as its buffer needs
    maxBufferDelayMs: 0,
    signal: abort.signal,
    errorRecord: (error) => ({ code: error instanceof CodedError ? error.code : "lipsync_failed", message: error instanceof Error ? error.message : String(error), retryable: false }),
  });
  return muxStream(records, { abort });
}

async function* clip(pcm: Int16Array, sampleRate: number): AsyncGenerator<SpeechChunk> {
  yield { pcm, sampleRate };
}
