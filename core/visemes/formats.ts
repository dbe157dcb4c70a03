import { VISEME_FPS, type VisemeFrame } from "./engine";
import { VISEMES, pickViseme, type VisemeName } from "./visemes";

/** Rhubarb Lip Sync mouth shapes: A closed (P B M) ... H (L), X idle. */
export type RhubarbShape = "A" | "B" | "C" | "D" | "E" | "F" | "G" | "H" | "X";
export const RHUBARB_OF: Record<VisemeName, RhubarbShape> = {
  sil: "X", PP: "A", FF: "G", TH: "B", DD: "B", kk: "B", CH: "B", SS: "B", nn: "B",
  RR: "E", aa: "D", E: "C", I: "B", O: "E", U: "F",
};

export type JsonTrack = {
  fps: number;
  visemes: VisemeName[];
  frames: { t: number; viseme: VisemeName; weights: number[] }[];
};

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/**
 * Resamples 100 fps model frames to exactly `fps` frames per second from t = 0
 * (linear interpolation of probabilities), covering `seconds` of audio.
 */
export function toFpsTrack(frames: VisemeFrame[], seconds: number, fps: number): JsonTrack {
  const n = Math.max(0, Math.ceil(seconds * fps - 1e-9));
  const out: JsonTrack["frames"] = [];
  const silence = VISEMES.map((v) => (v === "sil" ? 1 : 0));
  for (let i = 0; i < n; i++) {
    const t = i / fps;
    let w: number[];
    if (frames.length === 0) w = silence;
    else {
      const pos = Math.min(Math.max(t * VISEME_FPS, 0), frames.length - 1);
      const a = Math.floor(pos);
      const b = Math.min(a + 1, frames.length - 1);
      const f = pos - a;
      w = VISEMES.map((_, j) => frames[a]!.probs[j]! * (1 - f) + frames[b]!.probs[j]! * f);
    }
    out.push({ t: round(t, 6), viseme: VISEMES[pickViseme(w)]!, weights: w.map((v) => round(v, 4)) });
  }
  return { fps, visemes: [...VISEMES], frames: out };
}

/** Tab-separated: a header, then t, viseme and the 15 weights per frame. */
export function toTsv(track: JsonTrack): string {
  const lines = [["t", "viseme", ...track.visemes].join("\t")];
  for (const f of track.frames) lines.push([f.t.toFixed(6), f.viseme, ...f.weights.map((w) => w.toFixed(4))].join("\t"));
  return lines.join("\n") + "\n";
}

export type RhubarbJson = {
  metadata: { soundFile: string; duration: number };
  mouthCues: { start: number; end: number; value: RhubarbShape }[];
};

const MIN_CUE_FRAMES = 3; // Rhubarb's cues are rarely under 30 ms; shorter flicker is merged away

/** Rhubarb Lip Sync JSON (mouthCues A-H, X) from 100 fps frames. */
export function toRhubarb(frames: VisemeFrame[], seconds: number, soundFile: string): RhubarbJson {
  const shapes: RhubarbShape[] = frames.map((f) => {
    const score = new Map<RhubarbShape, number>();
    VISEMES.forEach((v, j) => score.set(RHUBARB_OF[v], (score.get(RHUBARB_OF[v]) ?? 0) + f.probs[j]!));
    return [...score.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  });
  const runs: { start: number; end: number; value: RhubarbShape }[] = [];
  shapes.forEach((s, i) => {
    const last = runs[runs.length - 1];
    if (last && last.value === s) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, value: s });
  });
  const merged: typeof runs = [];
  for (const r of runs) {
    const last = merged[merged.length - 1];
    if (last && (r.end - r.start < MIN_CUE_FRAMES || last.value === r.value)) last.end = r.end;
    else merged.push({ ...r });
  }
  const end = round(seconds, 2);
  const cues = merged.map((r) => ({
    start: round(r.start / VISEME_FPS, 2),
    end: round(r.end / VISEME_FPS, 2),
    value: r.value,
  }));
  if (cues.length) cues[cues.length - 1]!.end = end;
  else if (seconds > 0) cues.push({ start: 0, end, value: "X" });
  return { metadata: { soundFile, duration: end }, mouthCues: cues };
}
