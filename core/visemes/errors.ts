/** Stable codes for viseme-engine failures, shared by worker replies, server and CLI. */
export type VisemeErrorCode =
  | "invalid_sample_rate"
  | "invalid_audio"
  | "model_mismatch"
  | "model_failed"
  | "stream_ended";

export class VisemeError extends Error {
  override name = "VisemeError";
  constructor(
    readonly code: VisemeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
