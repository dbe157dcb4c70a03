import type { Gesture } from "./expression";

/** Gesture track rate: the viseme engine's (one step per 10 ms), so both tracks resample alike. */
export const GESTURE_FPS = 100;

// Pitch is tracked at ~8 kHz over a 32 ms window: enough for 70-400 Hz voices, cheap per 10 ms step.
const PITCH_RATE = 8000;
const WINDOW_SEC = 0.032;
const MIN_HZ = 70;
const MAX_HZ = 400;
const VOICED_CORR = 0.5;
// Pulse shape of one gesture: up in 90 ms, back down with a 260 ms time constant.
const ATTACK_SEC = 0.09;
const DECAY_SEC = 0.26;
// At most one nod per 0.45 s and one brow raise per 1 s: a gesture on every syllable reads as a tic.
const NOD_GAP_SEC = 0.45;
const BROW_GAP_SEC = 1.0;

type Pulse = { at: number; amp: number };

function pulse(p: Pulse | null, t: number): number {
  if (!p || t < p.at) return 0;
  const dt = t - p.at;
  if (dt < ATTACK_SEC) {
    const x = dt / ATTACK_SEC;
    return p.amp * x * x * (3 - 2 * x);
  }
  return p.amp * Math.exp(-(dt - ATTACK_SEC) / DECAY_SEC);
}

/**
 * Brow raises and small nods on stressed syllables, from the speech's energy and pitch: a syllable
 * whose loudness peak stands well above the running level is stressed; the higher its pitch above
 * the speaker's running mean, the stronger the gesture, and a high-pitched one also lifts the brows.
 * Causal (no lookahead), streaming and deterministic: the same audio gives the same track on the
 * server and in the browser's clip player. Push float PCM, get one Gesture per 10 ms completed.
 */
export class ProsodyGestures {
  private readonly hop: number;
  private readonly decim: number;
  private readonly window: Float32Array;
  private readonly minLag: number;
  private readonly maxLag: number;
  private pending = new Float32Array(0);
  private filled = 0;
  private step = 0;
  // Running means over syllable peaks (null until the first): loudness in dB, pitch as log F0.
  private peakMeanDb: number | null = null;
  private peakLogPitch: number | null = null;
  private fastDb = -60;
  private prevFastDb = -60;
  private rising = false;
  private peakDb = -60;
  private lastLogPitch = 0;
  private nod: Pulse | null = null;
  private brow: Pulse | null = null;

  constructor(readonly sampleRate: number) {
    this.hop = Math.max(1, Math.round(sampleRate / GESTURE_FPS));
    this.decim = Math.max(1, Math.round(sampleRate / PITCH_RATE));
    const rate = sampleRate / this.decim;
    this.window = new Float32Array(Math.round(WINDOW_SEC * rate));
    this.minLag = Math.max(2, Math.floor(rate / MAX_HZ));
    this.maxLag = Math.min(this.window.length - 8, Math.ceil(rate / MIN_HZ));
  }

  push(pcm: Float32Array): Gesture[] {
    const buf = new Float32Array(this.pending.length + pcm.length);
    buf.set(this.pending);
    buf.set(pcm, this.pending.length);
    const out: Gesture[] = [];
    let at = 0;
    for (; at + this.hop <= buf.length; at += this.hop) out.push(this.advance(buf.subarray(at, at + this.hop)));
    this.pending = buf.slice(at);
    return out;
  }

  private advance(hop: Float32Array): Gesture {
    let e = 0;
    for (let i = 0; i < hop.length; i++) e += hop[i]! * hop[i]!;
    const db = 10 * Math.log10(e / hop.length + 1e-9);
    // Decimated samples for pitch (a box average is filter enough at these lags).
    const w = this.window;
    for (let i = 0; i + this.decim <= hop.length; i += this.decim) {
      let s = 0;
      for (let j = 0; j < this.decim; j++) s += hop[i + j]!;
      w.copyWithin(0, 1);
      w[w.length - 1] = s / this.decim;
      this.filled = Math.min(w.length, this.filled + 1);
    }
    const t = this.step / GESTURE_FPS;
    this.step++;
    // Pitch only where there is voice to track (the autocorrelation is the costly part).
    if (this.filled === w.length && db > -45) {
      const logPitch = this.pitch();
      if (logPitch > 0) this.lastLogPitch = logPitch;
    }
    // The fast envelope follows syllables; a syllable's peak is where it stops rising.
    this.fastDb += (db - this.fastDb) * 0.45;
    if (this.fastDb > this.prevFastDb + 0.3) {
      this.rising = true;
      this.peakDb = this.fastDb;
    } else if (this.rising && this.fastDb < this.prevFastDb - 0.3) {
      this.rising = false;
      if (this.peakDb > -45) this.syllable(t);
    }
    this.prevFastDb = this.fastDb;
    return { brow: pulse(this.brow, t), nod: pulse(this.nod, t) };
  }

  /** A syllable peaked at t: stressed when louder (and higher) than the speaker's recent syllables. */
  private syllable(t: number): void {
    const meanDb = this.peakMeanDb ?? this.peakDb;
    const pitch = this.lastLogPitch;
    const meanPitch = this.peakLogPitch ?? pitch;
    const loud = (this.peakDb - meanDb - 1.5) / 6;
    const high = pitch > 0 && meanPitch > 0 ? (pitch - meanPitch) / 0.15 : 0;
    const strength = Math.min(1, Math.max(0, 0.65 * Math.min(1, loud) + 0.35 * Math.max(0, Math.min(1, high))));
    if (loud > 0 && strength > 0.3 && (!this.nod || t - this.nod.at >= NOD_GAP_SEC)) this.nod = { at: t, amp: strength };
    if (loud > 0 && high > 0.3 && strength > 0.45 && (!this.brow || t - this.brow.at >= BROW_GAP_SEC)) this.brow = { at: t, amp: strength };
    this.peakMeanDb = meanDb + (this.peakDb - meanDb) * 0.25;
    if (pitch > 0) this.peakLogPitch = meanPitch > 0 ? meanPitch + (pitch - meanPitch) * 0.25 : pitch;
  }

  /** log(F0) of the window by normalised autocorrelation, or 0 when unvoiced. */
  private pitch(): number {
    const w = this.window;
    const n = w.length - this.maxLag;
    let best = 0;
    let bestLag = 0;
    for (let lag = this.minLag; lag <= this.maxLag; lag++) {
      let xy = 0, xx = 0, yy = 0;
      for (let i = 0; i < n; i++) {
        const a = w[i]!, b = w[i + lag]!;
        xy += a * b;
        xx += a * a;
        yy += b * b;
      }
      const c = xy / Math.sqrt(xx * yy + 1e-12);
      if (c > best) {
        best = c;
        bestLag = lag;
      }
    }
    return best >= VOICED_CORR ? Math.log(this.sampleRate / this.decim / bestLag) : 0;
  }
}

/** The whole track of a recording at once (files: lipsync MP4s). */
export function gestureTrack(pcm: Float32Array, sampleRate: number): Gesture[] {
  return new ProsodyGestures(sampleRate).push(pcm);
}

/** The mean gesture over a video frame's interval (as mouthForFrame resamples the mouth). */
export function gestureForFrame(track: readonly Gesture[], t: number, videoFps: number): Gesture {
  if (track.length === 0) return { brow: 0, nod: 0 };
  const a = Math.max(0, Math.floor((t - 0.5 / videoFps) * GESTURE_FPS));
  if (a > track.length - 1) return { ...track[track.length - 1]! };
  const b = Math.min(track.length - 1, Math.max(a, Math.ceil((t + 0.5 / videoFps) * GESTURE_FPS) - 1));
  let brow = 0, nod = 0;
  for (let i = a; i <= b; i++) {
    brow += track[i]!.brow;
    nod += track[i]!.nod;
  }
  return { brow: brow / (b - a + 1), nod: nod / (b - a + 1) };
}
