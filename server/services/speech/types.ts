import "server-only";

/**
 * Where a user's words come from in a live session:
 * - `server_stt`: the session's audio, recognised by the configured SttProvider;
 * - `client_stt`: the browser recognised them itself and sends the text (`conversation.item.create`
 *   with `input_source: "client_stt"`); no provider runs and any language is accepted.
 */
export type InputSource = "server_stt" | "client_stt";

export type SttOpenOptions = {
  /** BCP-47 tag of what the user speaks ("en", "en-US"); check it with `supports` at session start. */
  language: string;
  /** Rate of the PCM16 mono pushed (8–48 kHz); providers convert to what their engine reads. */
  sampleRate: number;
  /** A growing hypothesis while the user speaks, when the engine gives one (it may be revised). */
  onPartial?: (text: string) => void;
};

export type SttResult = {
  text: string;
  /** Audio the recogniser heard. */
  audioMs: number;
  /** Wall time from `finish()` to this result: what a turn waits for the recogniser. */
  finishMs: number;
};

/**
 * One utterance being recognised. `push` streams audio as it arrives (the embedded engine decodes it
 * at once, so `finish` only runs the last pass); `finish` resolves the final transcript or rejects
 * with an AppError (`stt_failed`: the engine failed or crashed, retryable; `upstream_failed`: the
 * third party refused); `abort` drops the utterance (no result, no error). A session is used once.
 */
export interface SttSession {
  push(pcm: Int16Array): void;
  finish(): Promise<SttResult>;
  abort(): void;
}

/** A speech recogniser. `open` throws `unsupported_language` for a language it cannot do. */
export interface SttProvider {
  readonly id: "pocketsphinx" | "openai";
  /** Whether `language` (BCP-47) can be recognised; a session checks this before it starts. */
  supports(language: string): boolean;
  /** The language tags it recognises, for the error message and the docs. */
  readonly languages: readonly string[];
  open(options: SttOpenOptions): SttSession;
}

/** Limits every provider enforces: a session's turn is cut by the turn detector well before this. */
export const STT_LIMITS = { maxUtteranceMs: 60_000 } as const;
