import { ByteWriter, utf8, type Bytes } from "./bytes";
import {
  ANCILLARY_KIND_MIN,
  AVATAR_STATES,
  END_REASONS,
  LIMITS,
  MUX_MAGIC,
  MUX_VERSION_MAJOR,
  MUX_VERSION_MINOR,
  PREAMBLE_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  UNIT_SCALE,
  VIDEO_CODECS,
} from "./constants";
import { MuxError } from "./errors";
import { MOUTH_PARAM_KEYS, type MuxRecord } from "./types";
import { ERROR_CODE_PATTERN, expectedVideoBytes } from "./rules";

function arg(ok: boolean, message: string): void {
  if (!ok) throw new MuxError("invalid_argument", message);
}
function uint(v: number, max: number, name: string): void {
  arg(Number.isInteger(v) && v >= 0 && v <= max, `${name} must be an integer in 0..${max}, got ${v}`);
}
function unit(v: number, name: string): number {
  arg(Number.isFinite(v) && v >= 0 && v <= 1, `${name} must be in 0..1, got ${v}`);
  return Math.round(v * UNIT_SCALE);
}

/** The 6-byte stream preamble: magic + version. */
export function encodePreamble(): Bytes {
  const out = new Uint8Array(PREAMBLE_BYTES);
  out.set(MUX_MAGIC, 0);
  out[4] = MUX_VERSION_MAJOR;
  out[5] = MUX_VERSION_MINOR;
  return out;
}

function frame(kind: number, payloadSize: number): ByteWriter {
  const w = new ByteWriter(RECORD_HEADER_BYTES + payloadSize);
  return w.u8(kind).u32(payloadSize);
}

/**
 * Encode one record with its framing. Inputs that a reader would reject throw `invalid_argument`,
 * so a writer can never emit a stream its own reader refuses.
 */
export function encodeRecord(r: MuxRecord): Bytes {
  switch (r.kind) {
    case "header": {
      uint(r.sampleRate, LIMITS.maxSampleRate, "sampleRate");
      arg(r.sampleRate >= LIMITS.minSampleRate, `sampleRate must be >= ${LIMITS.minSampleRate}`);
      uint(r.fps, LIMITS.maxFps, "fps");
      arg(r.fps >= 1, "fps must be >= 1");
      uint(r.width, LIMITS.maxDimension, "width");
      uint(r.height, LIMITS.maxDimension, "height");
      arg((r.width === 0) === (r.height === 0), "width and height are both 0 or both set");
      arg(r.videoCodec === "none" || r.width > 0, "a video codec needs a frame size");
      uint(r.manifestVersion, 0xffff_ffff, "manifestVersion");
      const avatar = utf8(r.avatarId);
      arg(avatar.length >= 1 && avatar.length <= LIMITS.maxAvatarIdBytes, "avatarId must be 1..200 UTF-8 bytes");
      const manifest = utf8(r.manifestId ?? "");
      arg(r.manifestId !== "" && manifest.length <= LIMITS.maxManifestIdBytes, "manifestId must be null or 1..200 bytes");
      return frame(RecordKind.header, 16 + 2 + avatar.length + manifest.length)
        .u32(r.sampleRate).u16(r.fps).u16(r.width).u16(r.height)
        .u8(1).u8(VIDEO_CODECS.indexOf(r.videoCodec)).u32(r.manifestVersion)
        .u8(avatar.length).raw(avatar).u8(manifest.length).raw(manifest)
        .done();
    }
    case "text_delta": {
      uint(r.pts, LIMITS.maxPts, "pts");
      const text = utf8(r.text);
      arg(text.length >= 1 && text.length <= LIMITS.maxTextBytes, "text must be 1..4096 UTF-8 bytes (split longer text)");
      return frame(RecordKind.textDelta, 4 + text.length).u32(r.pts).raw(text).done();
    }
    case "audio": {
      uint(r.pts, LIMITS.maxPts, "pts");
      const n = r.samples.length;
      arg(n >= 1 && n <= LIMITS.maxAudioSamples, `an audio record holds 1..${LIMITS.maxAudioSamples} samples`);
      uint(r.pts + n, LIMITS.maxPts, "pts + samples");
      const w = frame(RecordKind.audio, 4 + 2 * n).u32(r.pts);
      for (let i = 0; i < n; i++) w.u16(r.samples[i]! & 0xffff);
      return w.done();
    }
    case "motion": {
      uint(r.pts, LIMITS.maxPts, "pts");
      uint(r.frame, LIMITS.maxPts, "frame");
      uint(r.visemeId, 255, "visemeId");
      const nw = r.visemeWeights.length;
      arg(nw <= LIMITS.maxVisemeWeights, `at most ${LIMITS.maxVisemeWeights} viseme weights`);
      if (r.face) uint(r.face.emotion, 255, "face.emotion");
      const w = frame(RecordKind.motion, 20 + 2 * nw + (r.face ? 5 : 0)).u32(r.pts).u32(r.frame);
      for (const key of MOUTH_PARAM_KEYS) w.u16(unit(r.mouth[key], key));
      w.u8(r.visemeId).u8(nw);
      for (const v of r.visemeWeights) w.u16(unit(v, "visemeWeight"));
      if (r.face) w.u8(r.face.emotion).u16(unit(r.face.brow, "face.brow")).u16(unit(r.face.nod, "face.nod"));
      return w.done();
    }
    case "video": {
      uint(r.pts, LIMITS.maxPts, "pts");
      uint(r.frame, LIMITS.maxPts, "frame");
      uint(r.width, LIMITS.maxDimension, "width");
      uint(r.height, LIMITS.maxDimension, "height");
      arg(r.width > 0 && r.height > 0, "video frame size must be non-zero");
      arg(r.data.length >= 1 && r.data.length <= LIMITS.maxVideoBytes, "video data must be 1 byte..8 MiB");
      const expected = expectedVideoBytes(r.codec, r.width, r.height, r.data);
      arg(expected === null, expected ?? "");
      return frame(RecordKind.video, 14 + r.data.length)
        .u32(r.pts).u32(r.frame).u8(VIDEO_CODECS.indexOf(r.codec)).u8(0).u16(r.width).u16(r.height)
        .raw(r.data).done();
    }
    case "state":
      uint(r.pts, LIMITS.maxPts, "pts");
      arg(AVATAR_STATES.includes(r.state), `unknown state ${r.state}`);
      return frame(RecordKind.state, 5).u32(r.pts).u8(AVATAR_STATES.indexOf(r.state)).done();
    case "usage":
      uint(r.pts, LIMITS.maxPts, "pts");
      uint(r.renderedSamples, LIMITS.maxPts, "renderedSamples");
      uint(r.renderedMicros, Number.MAX_SAFE_INTEGER, "renderedMicros");
      return frame(RecordKind.usage, 16).u32(r.pts).u32(r.renderedSamples).u64(r.renderedMicros).done();
    case "error": {
      const code = utf8(r.code);
      arg(code.length >= 1 && code.length <= LIMITS.maxErrorCodeBytes && ERROR_CODE_PATTERN.test(r.code), "error code must be 1..64 chars of [a-z0-9_.]");
      const message = utf8(r.message);
      arg(message.length <= LIMITS.maxErrorMessageBytes, "error message must be <= 2048 UTF-8 bytes");
      return frame(RecordKind.error, 2 + code.length + message.length)
        .u8(r.retryable ? 1 : 0).u8(code.length).raw(code).raw(message).done();
    }
    case "end":
      arg(END_REASONS.includes(r.reason), `unknown end reason ${r.reason}`);
      uint(r.totalSamples, LIMITS.maxPts, "totalSamples");
      return frame(RecordKind.end, 5).u8(END_REASONS.indexOf(r.reason)).u32(r.totalSamples).done();
    case "ancillary":
      uint(r.code, 255, "ancillary code");
      arg(r.code >= ANCILLARY_KIND_MIN, "ancillary kinds are 0x80..0xff");
      arg(r.payload.length <= LIMITS.maxAncillaryBytes, "ancillary payload <= 64 KiB");
      return frame(r.code, r.payload.length).raw(r.payload).done();
  }
}
