import "server-only";
import { AppError } from "@/server/errors";
import { TTS_LIMITS, type TtsRequest } from "./types";

// Checks shared by every provider, so a request fails the same way whichever one is configured.
// Field names are the contract's (`text`, `speed`, `voice_id`) because these messages reach API users.

// C0/C1 controls other than tab and newlines say nothing to a speech engine; some confuse it.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Whether a text has anything to say (a letter or digit); a chat turn skips sentences like "🙂" or "—". */
export function isSpeakable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** The request's text, normalized (NFC, no control characters, trimmed); throws invalid_input. */
export function validateTtsRequest(request: TtsRequest): string {
  if (typeof request.text !== "string") throw new AppError("invalid_input", "text: must be a string.", { field: "text" });
  const text = request.text.normalize("NFC").replace(CONTROL, " ").trim();
  if (!text) throw new AppError("invalid_input", "text: is empty; send at least one word to speak.", { field: "text" });
  if (text.length > TTS_LIMITS.maxTextChars) {
    throw new AppError("invalid_input", `text: is ${text.length} characters; the limit is ${TTS_LIMITS.maxTextChars}. Split it over several turns.`, { field: "text" });
  }
  if (!isSpeakable(text)) {
    throw new AppError("invalid_input", "text: has no letters or digits, so there is nothing to speak.", { field: "text" });
  }
  const { speed } = request;
  if (speed !== undefined && !(Number.isFinite(speed) && speed >= TTS_LIMITS.minSpeed && speed <= TTS_LIMITS.maxSpeed)) {
    throw new AppError("invalid_input", `speed: ${speed} is outside ${TTS_LIMITS.minSpeed}..${TTS_LIMITS.maxSpeed} (1 is the normal rate).`, { field: "speed" });
  }
  return text;
}

/** Rejects a language that is not a BCP-47-shaped tag before any provider looks it up. */
export function assertLanguageTag(language: string): void {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(language)) {
    throw new AppError("invalid_input", `language: "${language.slice(0, 40)}" is not a BCP-47 tag such as en, en-US, de or fr-FR.`, { field: "language" });
  }
}

/** Throws the signal's reason when it has been aborted (the caller's own error, not ours). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException("aborted", "AbortError");
}
