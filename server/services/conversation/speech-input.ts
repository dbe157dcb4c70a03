import "server-only";
import { getEnv } from "@/server/env";
import { createTurnDetector, getSttProvider, type SttProvider, type TurnDetector, type TurnDetectorSettings, type TurnEvent } from "../speech";

// What the loop needs of speech input (server/services/speech): turn detection on the incoming
// audio (Silero VAD) and the configured streaming recogniser. One seam, so the loop's tests and the
// bench run on exactly these.

export type { SttProvider, SttSession, TurnDetector, TurnEvent } from "../speech";

export interface SpeechInput {
  detector(settings: Partial<TurnDetectorSettings>, sampleRate: number, onEvent: (e: TurnEvent) => void): Promise<TurnDetector>;
  /** The configured recogniser (its engine starts with the first utterance). */
  stt(): SttProvider;
}

/** The process's speech input: Silero VAD and the recogniser STT_PROVIDER selects. */
export function speechInput(): SpeechInput {
  let stt: SttProvider | null = null;
  return {
    detector: createTurnDetector,
    stt: () => (stt ??= getSttProvider(getEnv())),
  };
}
