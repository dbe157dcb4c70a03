import { describe, expect, it } from "vitest";
import { decodeMux, encodePreamble, encodeRecord, MUX_VERSION_MINOR, MuxReader, MuxWriter, type MuxRecord } from "./index";
import { plain, writeSampleTurn } from "./sample-stream";

const header = {
  kind: "header", versionMajor: 1, versionMinor: MUX_VERSION_MINOR, sampleRate: 24_000, fps: 30, width: 4, height: 2,
  audioCodec: "pcm_s16le", videoCodec: "jpeg", avatarId: "ava_ünïcode", manifestId: null, manifestVersion: 7,
} as const satisfies MuxRecord;

/** One record of every kind, in an order the reader's stream rules accept. */
const everyKind: MuxRecord[] = [
  header,
  { kind: "state", pts: 0, state: "listening" },
  { kind: "text_delta", pts: 0, text: "Grüß dich 👋" },
  { kind: "audio", pts: 0, samples: Int16Array.of(0, 1, -1, 32767, -32768) },
  { kind: "motion", pts: 800, frame: 1, mouth: { jawOpen: 1, lipWidth: 0, pucker: 0.2, lipsPressed: 0.4, upperLipRaise: 0.6 }, visemeId: 3, visemeWeights: [0, 1, 0.8] },
  // Since 1.1 a motion record may carry the face: emotion id and the speech gestures.
  { kind: "motion", pts: 1600, frame: 2, mouth: { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 }, visemeId: 255, visemeWeights: [], face: { emotion: 2, brow: 1, nod: 0 } },
  { kind: "video", pts: 1600, frame: 2, codec: "jpeg", width: 4, height: 2, data: Uint8Array.of(0xff, 0xd8, 0xff, 0xd9) },
  { kind: "usage", pts: 5, renderedSamples: 5, renderedMicros: 9_007_199_254_740_991 },
  { kind: "ancillary", code: 0x9a, payload: Uint8Array.of(1, 2, 3) },
  { kind: "error", code: "tts_failed", message: "the speech provider stopped answering", retryable: true },
  { kind: "end", reason: "error", totalSamples: 5 },
];

function streamOf(records: MuxRecord[]): Uint8Array {
  const parts = [encodePreamble(), ...records.map(encodeRecord)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

describe("avatar mux round trip", () => {
  it("decodes every record kind to what was encoded", () => {
    expect(plain(decodeMux(streamOf(everyKind)))).toEqual(plain(everyKind));
  });

  it("quantises mouth parameters to 1/65535", () => {
    const motion = { ...everyKind[4], mouth: { jawOpen: 0.123456, lipWidth: 0.3, pucker: 0.7, lipsPressed: 0.9, upperLipRaise: 0.01 } } as MuxRecord;
    const [, , , , got] = decodeMux(streamOf([...everyKind.slice(0, 4), motion, { kind: "end", reason: "complete", totalSamples: 5 }]));
    expect(got?.kind).toBe("motion");
    if (got?.kind !== "motion") return;
    expect(got.mouth.jawOpen).toBeCloseTo(0.123456, 4);
    expect(got.mouth.upperLipRaise).toBeCloseTo(0.01, 4);
  });

  it("reads a writer's turn with audio, motion and video on one clock", () => {
    const { bytes } = writeSampleTurn({ seconds: 1.3, video: true });
    const recs = decodeMux(bytes);
    const audio = recs.filter((r) => r.kind === "audio");
    const samples = audio.reduce((n, r) => n + (r.kind === "audio" ? r.samples.length : 0), 0);
    expect(samples).toBe(20_800);
    const motion = recs.filter((r) => r.kind === "motion");
    // 1.3 s at 25 fps: frames 0..32 have pts < 20800.
    expect(motion).toHaveLength(33);
    expect(recs.filter((r) => r.kind === "video")).toHaveLength(33);
    expect(recs.at(-2)).toEqual({ kind: "state", pts: 20_800, state: "idle" });
    const usage = recs.filter((r) => r.kind === "usage").at(-1);
    expect(usage).toEqual({ kind: "usage", pts: 20_800, renderedSamples: 20_800, renderedMicros: 1_300_000 });
    expect(recs.at(-1)).toEqual({ kind: "end", reason: "complete", totalSamples: 20_800 });
  });

  it("splits long audio and text into records within the caps", () => {
    const w = new MuxWriter({ sampleRate: 48_000, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "a", manifestId: null, manifestVersion: 0 });
    const bytes = [w.start(), w.audio(new Int16Array(150_000)), w.text("é".repeat(5_000)), w.end()];
    const recs = decodeMux(Uint8Array.from(bytes.flatMap((b) => Array.from(b))));
    expect(recs.filter((r) => r.kind === "audio").map((r) => r.kind === "audio" && r.samples.length)).toEqual([65_536, 65_536, 18_928]);
    expect(recs.filter((r) => r.kind === "text_delta").map((r) => r.kind === "text_delta" && r.text).join("")).toBe("é".repeat(5_000));
  });

  it("refuses writer misuse before producing bytes", () => {
    const w = new MuxWriter({ sampleRate: 16_000, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "a", manifestId: null, manifestVersion: 0 });
    expect(() => w.audio(new Int16Array(1))).toThrow(expect.objectContaining({ code: "invalid_argument" }));
    w.start();
    expect(() => w.video(0, new Uint8Array(1))).toThrow(expect.objectContaining({ code: "invalid_argument" }));
    w.motion(2, { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 });
    expect(() => w.motion(2, { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 })).toThrow(expect.objectContaining({ code: "invalid_argument" }));
    expect(() => w.motion(3, { jawOpen: 2, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 })).toThrow(expect.objectContaining({ code: "invalid_argument" }));
    expect(() => w.error("Bad Code", "x")).toThrow(expect.objectContaining({ code: "invalid_argument" }));
    w.end();
    expect(() => w.usage()).toThrow(expect.objectContaining({ code: "writer_closed" }));
    expect(() => new MuxWriter({ sampleRate: 1, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "a", manifestId: null, manifestVersion: 0 })).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
  });

  it("exposes the header and the clock while reading", () => {
    const reader = new MuxReader();
    const { parts } = writeSampleTurn({ seconds: 0.5 });
    reader.push(parts[0]!);
    expect(reader.header).toMatchObject({ sampleRate: 16_000, fps: 25, avatarId: "ava_sample", manifestId: "man_sample", manifestVersion: 3, versionMajor: 1 });
    for (const p of parts.slice(1)) reader.push(p);
    reader.finish();
    expect(reader.ended).toBe(true);
    expect(reader.audioSamples).toBe(8_000);
  });
});
