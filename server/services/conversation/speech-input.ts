import "server-only";
import { AppError } from "@/server/errors";

// What the loop needs of speech input: turn detection on the incoming audio (voice-activity
// detection, server/services/speech) and a streaming recogniser. The shapes follow the speech
// modules; every audio buffer here is PCM16 mono at 16 kHz unless said otherwise.

export type SpeechTurnEvent =
  /** `audio`: the turn's audio from its prefix padding up to the confirmation. */
  | { type: "speech_started"; audioStartMs: number; confirmedAtMs: number; audio: Int16Array }
  | { type: "speech_audio"; audio: Int16Array }
  | { type: "speech_stopped"; audioEndMs: number; stoppedAtMs: number; reason: "silence" | "max_speech" };

export type TurnDetectorSettings = { threshold: number; silenceDurationMs: number; prefixPaddingMs: number };

export interface SpeechTurnDetector {
  /** PCM16 mono at the detector's input rate; resolves once scored and its events emitted. */
  push(pcm: Int16Array): Promise<void>;
  /** Drops the turn in progress (no event). */
  clear(): Promise<void>;
}

/** One utterance being recognised while it is spoken. */
export interface Recognition {
  push(pcm16k: Int16Array): void;
  /** The final transcript ("" when nothing was recognised). */
  finish(): Promise<string>;
  abort(): void;
}

export interface SpeechInput {
  detector(settings: TurnDetectorSettings, sampleRate: number, onEvent: (e: SpeechTurnEvent) => void): Promise<SpeechTurnDetector>;
  recognize(language: string): Promise<Recognition>;
}

/** The process's speech input (Silero VAD + the configured recogniser). */
export function speechInput(): SpeechInput {
  const missing = () => Promise.reject(new AppError("unavailable", "Voice input is not available on this server yet; send text (conversation.item.create).", { retryable: false }));
  return { detector: missing, recognize: missing };
}
