/** Stable error codes of the mux reader and writer; clients switch on `code`, never on the message. */
export const MUX_ERROR_CODES = [
  "bad_magic",
  "unsupported_version",
  "missing_header",
  "duplicate_header",
  "unknown_kind",
  "record_too_large",
  "bad_record",
  "bad_utf8",
  "bad_value",
  "audio_gap",
  "non_monotonic",
  "truncated",
  "trailing_data",
  "invalid_argument",
  "writer_closed",
] as const;
export type MuxErrorCode = (typeof MUX_ERROR_CODES)[number];

/** Any failure to read or write a mux stream. `offset` is the stream byte offset where it was detected. */
export class MuxError extends Error {
  override readonly name = "MuxError";
  constructor(
    readonly code: MuxErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? `${code}: ${message}` : `${code} at byte ${offset}: ${message}`);
  }
}

/** Narrow an unknown error to a MuxError. */
export function isMuxError(err: unknown): err is MuxError {
  return err instanceof MuxError;
}
