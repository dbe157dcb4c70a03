import "server-only";
import { AppError } from "@/server/errors";

/** The configured recogniser cannot do `language`: a session asking for it is refused at start (422). */
export function unsupportedLanguage(language: string, provider: string, languages: readonly string[]): AppError {
  return new AppError(
    "unsupported_language",
    `language: the speech recogniser (${provider}) cannot recognise "${language.slice(0, 35)}"; it knows ${languages.join(", ")}. Choose one of those, configure another recogniser (STT_PROVIDER, see docs/providers.md), or send client transcripts (input_source "client_stt").`,
    { kind: "invalid_input", field: "language" },
  );
}

/** The recogniser failed on this utterance (engine crash, bad answer); the next one may well succeed. */
export function sttFailed(message: string, cause?: unknown): AppError {
  return new AppError("stt_failed", message, { kind: "unavailable", retryable: true, cause });
}

/** Whether a BCP-47 tag names one of `languages` (primary subtags; "en-GB" matches "en"). */
export function languageIn(language: string, languages: readonly string[]): boolean {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return languages.some((l) => l.toLowerCase() === primary);
}

/** What a finish() still waiting learns when its utterance is aborted. */
export function sttAborted(): AppError {
  return new AppError("stt_aborted", "The utterance was aborted before its transcript was ready.", { kind: "conflict", retryable: false });
}
