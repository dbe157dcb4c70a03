import type { AudioCodec, AvatarState, EndReason, VideoCodec } from "./constants";

/**
 * The five mouth parameters, each 0..1. Structurally identical to core/visemes' MouthParams;
 * declared here so core/mux (and the SDK that ships it) depends on nothing else.
 */
export interface MuxMouthParams {
  jawOpen: number;
  lipWidth: number;
  pucker: number;
  lipsPressed: number;
  upperLipRaise: number;
}

export const MOUTH_PARAM_KEYS = ["jawOpen", "lipWidth", "pucker", "lipsPressed", "upperLipRaise"] as const;

/** Stream header: everything a player needs before the first timed record. */
export interface HeaderRecord {
  kind: "header";
  versionMajor: number;
  versionMinor: number;
  sampleRate: number;
  fps: number;
  /** Output frame size; 0x0 when the stream carries no video. */
  width: number;
  height: number;
  audioCodec: AudioCodec;
  videoCodec: VideoCodec;
  avatarId: string;
  manifestId: string | null;
  manifestVersion: number;
}

/** Transcript text, presented when the audio clock reaches `pts`. */
export interface TextDeltaRecord {
  kind: "text_delta";
  pts: number;
  text: string;
}

/** Contiguous PCM16 mono samples starting at sample index `pts`. */
export interface AudioRecord {
  kind: "audio";
  pts: number;
  samples: Int16Array;
}

/** Per-frame mouth state for client-side rendering. `pts` = floor(frame * sampleRate / fps). */
export interface MotionRecord {
  kind: "motion";
  pts: number;
  frame: number;
  mouth: MuxMouthParams;
  /** Dominant viseme id (engine-defined index); 255 = none. */
  visemeId: number;
  /** Optional per-viseme weights 0..1 (index = viseme id); may be empty. */
  visemeWeights: number[];
  /** Since 1.1, optional: the face beside the mouth (absent in older streams: neutral, no gestures). */
  face?: MuxFace;
}

/**
 * The face of a motion frame: `emotion` is an id in core/render/expression.ts EMOTIONS (the
 * renderer blends toward it over a few hundred ms); `brow` and `nod` (0..1) are speech gestures.
 */
export interface MuxFace {
  emotion: number;
  brow: number;
  nod: number;
}

/** One encoded frame for server-rendered tiers. */
export interface VideoRecord {
  kind: "video";
  pts: number;
  frame: number;
  codec: Exclude<VideoCodec, "none">;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface StateRecord {
  kind: "state";
  pts: number;
  state: AvatarState;
}

/** Rendered (billable) time so far, as integers: samples on the stream clock and credit-second micros. */
export interface UsageRecord {
  kind: "usage";
  pts: number;
  renderedSamples: number;
  renderedMicros: number;
}

/** A failure after streaming began. An `end` with reason "error" follows. */
export interface ErrorRecord {
  kind: "error";
  code: string;
  message: string;
  retryable: boolean;
}

export interface EndRecord {
  kind: "end";
  reason: EndReason;
  /** Audio samples in the whole stream; lets a reader check it saw them all. */
  totalSamples: number;
}

/** A record of a kind this reader does not know but may skip (kind >= 0x80). */
export interface AncillaryRecord {
  kind: "ancillary";
  code: number;
  payload: Uint8Array;
}

export type MuxRecord =
  | HeaderRecord
  | TextDeltaRecord
  | AudioRecord
  | MotionRecord
  | VideoRecord
  | StateRecord
  | UsageRecord
  | ErrorRecord
  | EndRecord
  | AncillaryRecord;

export type MuxRecordKind = MuxRecord["kind"];
