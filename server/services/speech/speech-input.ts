import "server-only";
import type { AppError } from "@/server/errors";
import { unsupportedLanguage } from "./errors";
import { createTurnDetector, type TurnDetector, type TurnDetectorSettings } from "./turn-detector";
import type { SttProvider, SttResult, SttSession } from "./types";

// A session's voice input in one piece: turn detection feeding the recogniser as the user speaks.
// The recogniser session opens when a turn is confirmed (with the prefix padding and the onset
// audio), gets every frame of the turn as it is scored, and is finished at speech_stopped, so the
// transcript follows the end of the turn by the recogniser's last pass only. Without turn detection
// (push-to-talk) the client's commit ends the utterance.

export type SpeechInputEvent =
  | { type: "speech_started"; audioStartMs: number; confirmedAtMs: number }
  | { type: "speech_stopped"; audioEndMs: number; stoppedAtMs: number }
  | { type: "transcript_partial"; text: string }
  /** `afterStopMs`: wall time from the turn's end (speech_stopped or commit) to this transcript. */
  | { type: "transcript_completed"; text: string; audioMs: number; afterStopMs: number }
  | { type: "transcript_failed"; error: AppError };

export type SpeechInputOptions = {
  stt: SttProvider;
  language: string;
  sampleRate: number;
  /** null: push-to-talk, the client commits. */
  turnDetection: Partial<TurnDetectorSettings> | null;
  onEvent: (event: SpeechInputEvent) => void;
};

export interface SpeechInput {
  /** PCM16 mono at the session's input rate. */
  push(pcm: Int16Array): Promise<void>;
  /** Ends the utterance now (input_audio_buffer.commit); with turn detection, ends the turn in progress. */
  commit(): void;
  /** Drops the audio and any utterance in progress (input_audio_buffer.clear). */
  clear(): Promise<void>;
  close(): void;
}

/** Wires a turn detector (unless push-to-talk) to the recogniser; throws what either refuses at session start. */
export async function createSpeechInput(options: SpeechInputOptions): Promise<SpeechInput> {
  const { stt, language, sampleRate, onEvent } = options;
  if (!stt.supports(language)) throw unsupportedLanguage(language, stt.id, stt.languages);
  let utterance: SttSession | null = null;
  const open = () => (utterance = stt.open({ language, sampleRate: 16_000, onPartial: (text) => onEvent({ type: "transcript_partial", text }) }));
  const end = () => {
    const u = utterance;
    utterance = null;
    if (!u) return;
    const stoppedAt = performance.now();
    u.finish().then(
      (r: SttResult) => onEvent({ type: "transcript_completed", text: r.text, audioMs: r.audioMs, afterStopMs: Math.round(performance.now() - stoppedAt) }),
      (error: AppError) => onEvent({ type: "transcript_failed", error }),
    );
  };

  if (options.turnDetection === null) {
    // Push-to-talk: everything between commits is one utterance, at the client's rate.
    let ptt: SttSession | null = null;
    return {
      async push(pcm) {
        ptt ??= stt.open({ language, sampleRate, onPartial: (text) => onEvent({ type: "transcript_partial", text }) });
        ptt.push(pcm);
      },
      commit() {
        utterance = ptt;
        ptt = null;
        end();
      },
      async clear() {
        ptt?.abort();
        ptt = null;
      },
      close() {
        ptt?.abort();
        ptt = null;
      },
    };
  }

  const detector: TurnDetector = await createTurnDetector(options.turnDetection, sampleRate, (event) => {
    if (event.type === "speech_started") {
      onEvent({ type: "speech_started", audioStartMs: event.audioStartMs, confirmedAtMs: event.confirmedAtMs });
      open().push(event.audio);
    } else if (event.type === "speech_audio") {
      utterance?.push(event.audio);
    } else {
      onEvent({ type: "speech_stopped", audioEndMs: event.audioEndMs, stoppedAtMs: event.stoppedAtMs });
      end();
    }
  });
  // The detector hands out 16 kHz audio; the recogniser opened above takes it as such.
  return {
    push: (pcm) => detector.push(pcm),
    commit: end,
    async clear() {
      utterance?.abort();
      utterance = null;
      await detector.clear();
    },
    close() {
      utterance?.abort();
      utterance = null;
      void detector.clear();
    },
  };
}
