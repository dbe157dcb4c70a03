import "server-only";
import { CodedError } from "@/core/coded-error";

/**
 * Stable codes of source-video preparation failures; all are the caller's to fix, hence 422
 * (docs/video-avatars.md). Faults of the reference frame's face itself keep the portrait codes
 * (face_too_small, face_tilted, face_unclear: server/portrait/errors.ts).
 */
export type VideoErrorCode =
  | "video_unreadable"
  | "video_too_short"
  | "video_too_long"
  | "video_too_large"
  | "video_face_not_found"
  | "video_face_left_frame"
  | "video_scene_cut"
  | "video_face_changed";

/** A source video that cannot become an avatar, with a message saying what to change. */
export class VideoError extends CodedError<VideoErrorCode> {
  override name = "VideoError";
  readonly status = 422;
  readonly retryable = false;
}

/** Bounds checked from the container before anything is decoded. */
export const VIDEO_LIMITS = {
  minSeconds: 3,
  maxSeconds: 60,
  /** Longest side and pixel count of a frame (4K UHD). */
  maxSide: 3840,
  maxPixels: 3840 * 2160,
  /** Frames decoded at most (60 s at the analysis rate, with slack). */
  maxFrames: 60 * 25 + 50,
} as const;
