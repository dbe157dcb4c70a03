import "server-only";
import { CodedError } from "@/core/coded-error";

/**
 * Stable codes of portrait preparation failures; all are the caller's to fix, hence 422.
 * face_tilted: rolled past MAX_ROLL_DEG; face_unclear: landmarks the rig cannot be laid out along
 * (non-finite, collapsed, overlapping or out of anatomical order).
 */
export type PortraitErrorCode = "image_unreadable" | "face_not_found" | "face_too_small" | "face_cut_off" | "face_tilted" | "face_unclear";

/** A portrait that cannot become an avatar, with a message that tells the user what to change. */
export class PortraitError extends CodedError<PortraitErrorCode> {
  override name = "PortraitError";
  readonly status = 422;
  readonly retryable = false;
}

/** Smallest face (pixels across) whose mouth still has enough pixels to animate. */
export const MIN_FACE_PX = 96;

/** Largest in-plane tilt animated: beyond it the photo is most likely sideways. */
export const MAX_ROLL_DEG = 60;
