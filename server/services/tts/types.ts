import "server-only";

/**
 * One piece of synthesized speech: PCM16 mono samples at `sampleRate`. Chunks of one call share a
 * sample rate. `text` is set on the first chunk of each sentence (providers that synthesize by
 * sentence know it), so a turn can emit a `text_delta` when that sentence starts to sound.
 */
export type TtsChunk = { pcm: Int16Array; sampleRate: number; text?: string };

export type TtsRequest = {
  text: string;
  /** BCP-47 tag ("en", "en-US", "de", "fr-FR"); ignored when `voiceId` names a voice. */
  language?: string;
  /** Provider-prefixed id: "espeak:en-us+f3", "openai:alloy" (see docs/providers.md). */
  voiceId?: string;
  /** Speaking-rate multiplier, 1 = the provider's normal rate; accepted range 0.25..4. */
  speed?: number;
  /** A free word such as "happy"; each provider documents what it can honour. */
  emotion?: string;
  signal?: AbortSignal;
};

/** `variants`: suffixes a voice accepts as `<id>+<variant>` (espeak-ng: f1..f5, m1..m8, whisper …). */
export type TtsVoice = { id: string; name: string; language?: string; variants?: string[] };

/**
 * A speech synthesizer. `synthesize` streams chunks as early as it can; it throws AppError for bad
 * input (`invalid_input`, with `field`), a missing engine (`unavailable`) or a failing third party
 * (`upstream_failed`), and rethrows `signal.reason` when aborted. Breaking out of the iteration
 * stops the work (kills the subprocess, cancels the request).
 */
export interface TtsProvider {
  readonly id: "espeak" | "openai";
  synthesize(request: TtsRequest): AsyncIterable<TtsChunk>;
  voices(): Promise<TtsVoice[]>;
}

/** Limits every provider enforces, matching the contract's `text` (≤ 4000 chars) and a sane speed range. */
export const TTS_LIMITS = { maxTextChars: 4000, minSpeed: 0.25, maxSpeed: 4 } as const;
