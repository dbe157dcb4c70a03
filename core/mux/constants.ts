/**
 * Wire constants of the avatar mux (`application/x-avatar-mux`), version 1.
 * docs/avatar-mux.md is the normative description; keep both in step.
 */

export const MUX_CONTENT_TYPE = "application/x-avatar-mux";

/** "TAVM": lets a reader reject a non-mux body (HTML error page, JSON) on the first 4 bytes. */
export const MUX_MAGIC = Uint8Array.of(0x54, 0x41, 0x56, 0x4d);
export const MUX_VERSION_MAJOR = 1;
/** Minor bumps only add ancillary record kinds or trailing fields; readers of the same major accept them. */
/** 1.1: motion records may end with the face (emotion id, brow and nod gestures). */
export const MUX_VERSION_MINOR = 1;
/** Magic (4) + major (1) + minor (1). */
export const PREAMBLE_BYTES = 6;
/** Record framing: kind (u8) + payload length (u32 LE). */
export const RECORD_HEADER_BYTES = 5;

export const RecordKind = {
  header: 0x01,
  end: 0x02,
  textDelta: 0x10,
  audio: 0x11,
  motion: 0x12,
  video: 0x13,
  state: 0x14,
  usage: 0x20,
  error: 0x21,
} as const;
export type RecordKindCode = (typeof RecordKind)[keyof typeof RecordKind];

/** Kinds >= this are ancillary: a reader that does not know one skips it instead of failing. */
export const ANCILLARY_KIND_MIN = 0x80;

/** Limits that keep a reader's memory bounded whatever the bytes say. */
export const LIMITS = {
  minSampleRate: 8_000,
  maxSampleRate: 48_000,
  maxFps: 120,
  maxDimension: 4_096,
  maxAvatarIdBytes: 200,
  maxManifestIdBytes: 200,
  maxTextBytes: 4_096,
  /** One audio record holds at most this many samples (> 1 s at 48 kHz). */
  maxAudioSamples: 65_536,
  maxVisemeWeights: 32,
  /** A 2048x2048 I420 frame is 6 MiB; nothing bigger is a sane realtime frame. */
  maxVideoBytes: 8 * 1024 * 1024,
  maxErrorCodeBytes: 64,
  maxErrorMessageBytes: 2_048,
  maxAncillaryBytes: 65_536,
  /** Presentation times are u32 sample indices: 24.8 h at 48 kHz, far beyond one turn. */
  maxPts: 0xffff_ffff,
} as const;

export const AUDIO_CODECS = ["pcm_s16le"] as const;
export type AudioCodec = (typeof AUDIO_CODECS)[number];
/** Index on the wire is the array position (+1 for audio; video 0 = none). */
export const VIDEO_CODECS = ["none", "jpeg", "i420"] as const;
export type VideoCodec = (typeof VIDEO_CODECS)[number];
export const AVATAR_STATES = ["idle", "listening", "thinking", "speaking"] as const;
export type AvatarState = (typeof AVATAR_STATES)[number];
export const END_REASONS = ["complete", "error", "cancelled"] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Mouth parameters are carried as u16 fixed point: value = raw / 65535. */
export const UNIT_SCALE = 65_535;

/**
 * Hard cap on each kind's payload length, checked from the 5-byte framing before any payload
 * byte is buffered. Fixed-layout kinds get headroom for fields a later minor version may append.
 */
export const PAYLOAD_CAPS: Readonly<Record<number, number>> = {
  [RecordKind.header]: 1_024,
  [RecordKind.end]: 64,
  [RecordKind.textDelta]: 4 + LIMITS.maxTextBytes,
  [RecordKind.audio]: 4 + 2 * LIMITS.maxAudioSamples,
  [RecordKind.motion]: 256,
  [RecordKind.video]: 14 + LIMITS.maxVideoBytes,
  [RecordKind.state]: 64,
  [RecordKind.usage]: 64,
  [RecordKind.error]: 4_096,
};
