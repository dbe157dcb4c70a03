import "server-only";
import { isSupportedInputRate, INPUT_RATE_RANGE } from "@/core/audio/speech-rate";
import { createTurnDetectorOn, turnSettings, type TurnDetector, type TurnDetectorSettings, type TurnEvent } from "@/core/audio/turn-detector";
import { AppError } from "@/server/errors";
import { vadModel } from "./vad-model";

export type { TurnDetector, TurnDetectorSettings, TurnEvent } from "@/core/audio/turn-detector";
export { TURN_DEFAULTS } from "@/core/audio/turn-detector";

/**
 * A streaming turn detector on the process's Silero model. Throws `invalid_input` (with `field`) for
 * a sample rate outside 8–48 kHz or settings out of range, `unavailable` when the model cannot load.
 */
export async function createTurnDetector(
  settings: Partial<TurnDetectorSettings>,
  sampleRate: number,
  onEvent: (event: TurnEvent) => void,
): Promise<TurnDetector> {
  if (!isSupportedInputRate(sampleRate)) {
    throw new AppError("invalid_input", `sample_rate: ${sampleRate} Hz is not supported; send PCM16 mono at an integer rate from ${INPUT_RATE_RANGE.min} to ${INPUT_RATE_RANGE.max} Hz (16000 is best).`, {
      field: "sample_rate",
    });
  }
  let checked: TurnDetectorSettings;
  try {
    checked = turnSettings(settings);
  } catch (error) {
    throw new AppError("invalid_input", `turn_detection: ${(error as Error).message}.`, { field: "turn_detection", cause: error });
  }
  const model = await vadModel();
  return createTurnDetectorOn(model.stream(), checked, sampleRate, onEvent);
}
