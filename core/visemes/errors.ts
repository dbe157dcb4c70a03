import { CodedError } from "../coded-error";

/** Stable codes for viseme-engine failures, shared by worker replies, server and CLI. */
export type VisemeErrorCode =
  | "invalid_sample_rate"
  | "invalid_audio"
  | "model_mismatch"
  | "model_failed"
  | "stream_ended";

export class VisemeError extends CodedError<VisemeErrorCode> {
  override name = "VisemeError";
}
