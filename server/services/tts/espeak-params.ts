import "server-only";

// What the embedded TTS can do with `speed` and `emotion`. espeak-ng has no model of emotional
// prosody: the only honest levers are the utterance's base pitch (-p), rate (-s) and loudness
// (-a), applied to the whole text. The table below shifts those in the direction people hear as
// the emotion (higher and faster for happy, lower and slower for sad); it is not expressive speech.

export type EmotionProsody = { pitch: number; rate: number; amplitude: number };

const NEUTRAL: EmotionProsody = { pitch: 50, rate: 1, amplitude: 100 };

/** pitch: espeak -p (0..99, 50 normal); rate: multiplier on words per minute; amplitude: -a (0..200, 100 normal). */
export const EMOTION_PROSODY: Readonly<Record<string, EmotionProsody>> = {
  neutral: NEUTRAL,
  curious: { pitch: 56, rate: 1, amplitude: 100 },
  happy: { pitch: 66, rate: 1.08, amplitude: 112 },
  excited: { pitch: 72, rate: 1.15, amplitude: 120 },
  surprised: { pitch: 74, rate: 1.05, amplitude: 112 },
  calm: { pitch: 46, rate: 0.92, amplitude: 90 },
  sad: { pitch: 36, rate: 0.85, amplitude: 80 },
  serious: { pitch: 42, rate: 0.95, amplitude: 100 },
  angry: { pitch: 44, rate: 1.1, amplitude: 130 },
};

/** espeak-ng's default and its accepted words-per-minute range (espeakRATE_MINIMUM/MAXIMUM). */
export const ESPEAK_WPM = { normal: 175, min: 80, max: 450 } as const;

export type EspeakProsody = { wpm: number; pitch: number; amplitude: number; emotion: string };

/** Maps the contract's speed multiplier and emotion to espeak-ng -s/-p/-a; unknown emotions are neutral. */
export function espeakProsody(speed = 1, emotion?: string): EspeakProsody {
  const key = emotion?.trim().toLowerCase() ?? "neutral";
  const known = Object.hasOwn(EMOTION_PROSODY, key);
  const prosody = known ? EMOTION_PROSODY[key]! : NEUTRAL;
  const wpm = Math.round(Math.min(ESPEAK_WPM.max, Math.max(ESPEAK_WPM.min, ESPEAK_WPM.normal * speed * prosody.rate)));
  return { wpm, pitch: prosody.pitch, amplitude: prosody.amplitude, emotion: known ? key : "neutral" };
}
