import "server-only";
import { AppError } from "@/server/errors";

// What the loop needs of speech input (server/services/speech): turn detection on the incoming
// audio and a streaming recogniser. Until those modules are merged the shapes are declared here,
// exactly as they define them.

export type TurnEvent =
  /** `audio`: 16 kHz PCM16 from the prefix padding before the onset up to the confirmation. */
  | { type: "speech_started"; audioStartMs: number; confirmedAtMs: number; audio: Int16Array }
  | { type: "speech_audio"; audio: Int16Array }
  | { type: "speech_stopped"; audioEndMs: number; stoppedAtMs: number; reason: "silence" | "max_speech" };

export type TurnDetectorSettings = { threshold: number; silenceDurationMs: number; prefixPaddingMs: number; minSpeechMs: number; maxSpeechMs: number };

export interface TurnDetector {
  push(pcm: Int16Array): Promise<void>;
  clear(): Promise<void>;
}

export type SttOpenOptions = { language: string; sampleRate: number; onPartial?: (text: string) => void };
export type SttResult = { text: string; audioMs: number; finishMs: number };
export interface SttSession {
  push(pcm: Int16Array): void;
  finish(): Promise<SttResult>;
  abort(): void;
}
export interface SttProvider {
  supports(language: string): boolean;
  open(options: SttOpenOptions): SttSession;
}

export interface SpeechInput {
  detector(settings: Partial<TurnDetectorSettings>, sampleRate: number, onEvent: (e: TurnEvent) => void): Promise<TurnDetector>;
  /** The configured recogniser. */
  stt(): SttProvider;
}

/** The process's speech input (Silero VAD + the configured recogniser). */
export function speechInput(): SpeechInput {
  const missing = () => new AppError("unavailable", "Voice input is not available on this server yet; send text (conversation.item.create).", { retryable: false });
  return {
    detector: () => Promise.reject(missing()),
    stt: () => {
      throw missing();
    },
  };
}
