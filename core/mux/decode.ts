import { ByteReader, fromUtf8 } from "./bytes";
import { AVATAR_STATES, END_REASONS, LIMITS, MUX_VERSION_MINOR, RecordKind, UNIT_SCALE, VIDEO_CODECS } from "./constants";
import { MuxError } from "./errors";
import { ERROR_CODE_PATTERN, expectedVideoBytes } from "./rules";
import { MOUTH_PARAM_KEYS, type MuxMouthParams, type MuxRecord } from "./types";

function bad(ok: boolean, message: string, offset: number): void {
  if (!ok) throw new MuxError("bad_value", message, offset);
}

/**
 * Decode one payload whose framing (kind, length <= cap) was already checked. `streamMinor` is the
 * stream's minor version: trailing bytes are tolerated only from a newer minor (fields we do not know).
 */
export function decodePayload(kind: number, payload: Uint8Array, offset: number, streamMinor: number): MuxRecord {
  const r = new ByteReader(payload, offset);
  const rec = decodeFields(kind, r, streamMinor);
  if (r.remaining > 0 && streamMinor <= MUX_VERSION_MINOR) {
    throw new MuxError("bad_record", `${r.remaining} unexpected trailing payload bytes`, r.offset);
  }
  return rec;
}

function decodeFields(kind: number, r: ByteReader, streamMinor: number): MuxRecord {
  switch (kind) {
    case RecordKind.header: {
      const at = r.offset;
      const sampleRate = r.u32();
      const fps = r.u16();
      const width = r.u16();
      const height = r.u16();
      const audio = r.u8();
      const video = r.u8();
      const manifestVersion = r.u32();
      bad(sampleRate >= LIMITS.minSampleRate && sampleRate <= LIMITS.maxSampleRate, `sample rate ${sampleRate} out of range`, at);
      bad(fps >= 1 && fps <= LIMITS.maxFps, `fps ${fps} out of range`, at);
      bad(width <= LIMITS.maxDimension && height <= LIMITS.maxDimension && (width === 0) === (height === 0), "bad frame size", at);
      bad(audio === 1, `unknown audio codec ${audio}`, at);
      const videoCodec = VIDEO_CODECS[video];
      bad(videoCodec !== undefined && (videoCodec === "none" || width > 0), `bad video codec ${video}`, at);
      const avatarLen = r.u8();
      bad(avatarLen >= 1 && avatarLen <= LIMITS.maxAvatarIdBytes, "bad avatar id length", r.offset);
      const avatarId = fromUtf8(r.take(avatarLen), r.offset);
      const manifestLen = r.u8();
      bad(manifestLen <= LIMITS.maxManifestIdBytes, "bad manifest id length", r.offset);
      const manifestId = manifestLen === 0 ? null : fromUtf8(r.take(manifestLen), r.offset);
      return {
        kind: "header", versionMajor: 0, versionMinor: 0, sampleRate, fps, width, height,
        audioCodec: "pcm_s16le", videoCodec: videoCodec!, avatarId, manifestId, manifestVersion,
      };
    }
    case RecordKind.textDelta: {
      const pts = r.u32();
      bad(r.remaining >= 1 && r.remaining <= LIMITS.maxTextBytes, "text must be 1..4096 bytes", r.offset);
      return { kind: "text_delta", pts, text: fromUtf8(r.rest(), r.offset) };
    }
    case RecordKind.audio: {
      const pts = r.u32();
      const bytes = r.remaining;
      if (bytes < 2 || bytes % 2 !== 0) throw new MuxError("bad_record", "audio payload must hold whole PCM16 samples", r.offset);
      const raw = r.take(bytes);
      // Copy into an aligned Int16Array; the source bytes may start at an odd offset.
      const samples = new Int16Array(bytes / 2);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(2 * i, true);
      bad(pts + samples.length <= LIMITS.maxPts, "audio runs past the u32 sample clock", r.offset);
      return { kind: "audio", pts, samples };
    }
    case RecordKind.motion: {
      const pts = r.u32();
      const frame = r.u32();
      const mouth = {} as MuxMouthParams;
      for (const key of MOUTH_PARAM_KEYS) mouth[key] = r.u16() / UNIT_SCALE;
      const visemeId = r.u8();
      const n = r.u8();
      bad(n <= LIMITS.maxVisemeWeights, `too many viseme weights (${n})`, r.offset);
      const visemeWeights: number[] = [];
      for (let i = 0; i < n; i++) visemeWeights.push(r.u16() / UNIT_SCALE);
      // 1.1 appended the face; a 1.0 stream's extra bytes stay trailing (and are refused).
      if (streamMinor >= 1 && r.remaining >= 5) {
        const face = { emotion: r.u8(), brow: r.u16() / UNIT_SCALE, nod: r.u16() / UNIT_SCALE };
        return { kind: "motion", pts, frame, mouth, visemeId, visemeWeights, face };
      }
      return { kind: "motion", pts, frame, mouth, visemeId, visemeWeights };
    }
    case RecordKind.video: {
      const pts = r.u32();
      const frame = r.u32();
      const codecIndex = r.u8();
      const reserved = r.u8();
      const width = r.u16();
      const height = r.u16();
      const at = r.offset;
      const codec = VIDEO_CODECS[codecIndex];
      bad(codec !== undefined && codec !== "none" && reserved === 0, `bad video codec ${codecIndex}`, at);
      bad(width >= 1 && height >= 1 && width <= LIMITS.maxDimension && height <= LIMITS.maxDimension, "bad video frame size", at);
      // Video data runs to the end of the payload, so a newer minor cannot append fields here.
      const data = r.rest().slice();
      const why = expectedVideoBytes(codec!, width, height, data);
      bad(why === null, why ?? "", at);
      return { kind: "video", pts, frame, codec: codec as "jpeg" | "i420", width, height, data };
    }
    case RecordKind.state: {
      const pts = r.u32();
      const state = AVATAR_STATES[r.u8()];
      bad(state !== undefined, "unknown avatar state", r.offset);
      return { kind: "state", pts, state: state! };
    }
    case RecordKind.usage: {
      const pts = r.u32();
      const renderedSamples = r.u32();
      const renderedMicros = r.u64();
      return { kind: "usage", pts, renderedSamples, renderedMicros };
    }
    case RecordKind.error: {
      const retryable = r.u8();
      bad(retryable <= 1, "retryable must be 0 or 1", r.offset);
      const codeLen = r.u8();
      bad(codeLen >= 1 && codeLen <= LIMITS.maxErrorCodeBytes, "bad error code length", r.offset);
      const code = fromUtf8(r.take(codeLen), r.offset);
      bad(ERROR_CODE_PATTERN.test(code), "error code must be [a-z0-9_.]", r.offset);
      bad(r.remaining <= LIMITS.maxErrorMessageBytes, "error message too long", r.offset);
      // The message runs to the end of the payload, like text.
      return { kind: "error", code, retryable: retryable === 1, message: fromUtf8(r.rest(), r.offset) };
    }
    case RecordKind.end: {
      const reason = END_REASONS[r.u8()];
      bad(reason !== undefined, "unknown end reason", r.offset);
      return { kind: "end", reason: reason!, totalSamples: r.u32() };
    }
    default:
      return { kind: "ancillary", code: kind, payload: r.rest().slice() };
  }
}
