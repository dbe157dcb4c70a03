import "server-only";
import { AppError } from "../../errors";

/** Stable reasons an upload or remote ingest is refused; all answer 422 on the public API. */
export type AssetRejectCode =
  | "empty_file"
  | "unsupported_media_type"
  | "kind_mismatch"
  | "payload_too_large"
  | "image_too_large"
  | "image_corrupt"
  | "media_corrupt"
  | "polyglot_file"
  | "invalid_multipart"
  | "remote_url_not_allowed"
  | "remote_fetch_failed";

/** A refused asset: its reason is its public code, of kind invalid_input (422). */
export class AssetRejected extends AppError {
  constructor(
    readonly reason: AssetRejectCode,
    message: string,
    field = "file",
    cause?: unknown,
  ) {
    super(reason, message, { kind: "invalid_input", field, retryable: false, cause });
  }
}
