import { smoothstep } from "./geometry";

/** What the page knows about the avatar's idle state; everything else is derived from the seed and time. */
export type IdleInput = {
  /** Seconds on the avatar's clock (the audio clock while speaking). */
  timeSec: number;
  /** 0 = neutral, 1 = attentive listening pose (slight tilt, nod and lean). Ease it on the caller's side. */
  listening: number;
};

/** Idle motion for one frame; angles in radians, offsets in face widths. */
export type IdlePose = {
  blink: [number, number];
  roll: number;
  tx: number;
  ty: number;
  scale: number;
  /** Where the eyes look, -1..1 of the largest gaze shift (x: toward image right, y: down). */
  gaze: [number, number];
};

/** 32-bit integer hash (murmur3 finaliser): identical in every JS engine, so server and browser blink together. */
export function hash32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function unit(seed: number, k: number): number {
  return hash32(seed, k) / 4294967296;
}

// Human spontaneous blinks: ~15-20 a minute, lid closing ~80 ms, opening slower (~150 ms).
const SLOT_SEC = 3.6;
const CLOSE_SEC = 0.08;
const HOLD_SEC = 0.04;
const OPEN_SEC = 0.15;
const BLINK_SEC = CLOSE_SEC + HOLD_SEC + OPEN_SEC;
const DOUBLE_BLINK_P = 0.12;

function blinkShape(dt: number): number {
  if (dt < 0 || dt > BLINK_SEC) return 0;
  if (dt < CLOSE_SEC) return smoothstep(0, CLOSE_SEC, dt);
  if (dt < CLOSE_SEC + HOLD_SEC) return 1;
  return 1 - smoothstep(0, OPEN_SEC, dt - CLOSE_SEC - HOLD_SEC);
}

/**
 * Lid closure 0..1 at time t. One blink per 3.6 s slot at a hashed offset gives intervals of
 * ~1-6 s like a person's, evaluated in O(1) for any t (no state, so any frame renders alone).
 */
export function blinkAt(seed: number, t: number): number {
  const slot = Math.floor(t / SLOT_SEC);
  let c = 0;
  for (let k = slot - 1; k <= slot; k++) {
    if (k < 0) continue;
    const start = k * SLOT_SEC + 0.4 + unit(seed, 2 * k) * (SLOT_SEC - 0.8);
    c = Math.max(c, blinkShape(t - start));
    if (unit(seed, 2 * k + 1) < DOUBLE_BLINK_P) c = Math.max(c, blinkShape(t - start - BLINK_SEC - 0.05));
  }
  return c;
}

/** A slow wander made of two incommensurate sines with seeded phases. */
function wander(seed: number, k: number, t: number, f1: number, f2: number): number {
  const p1 = unit(seed, 1000 + k) * 2 * Math.PI;
  const p2 = unit(seed, 2000 + k) * 2 * Math.PI;
  return 0.6 * Math.sin(2 * Math.PI * f1 * t + p1) + 0.4 * Math.sin(2 * Math.PI * f2 * t + p2);
}

// Gaze shifts: the eyes settle on a new point every ~1.2-3.6 s (a saccade of ~40 ms), mostly near
// the camera, now and then further aside; while listening they stay on the viewer more.
const GAZE_SLOT_SEC = 2.4;
const SACCADE_SEC = 0.04;

function gazeTarget(seed: number, k: number, listening: number): [number, number] {
  if (k < 0) return [0, 0];
  const away = unit(seed, 5000 + k) < 0.35 ? 1 : 0.35;
  const scale = away * (1 - 0.6 * listening);
  return [(unit(seed, 6000 + k) * 2 - 1) * scale, (unit(seed, 7000 + k) * 2 - 1) * 0.5 * scale];
}

/** Gaze at time t: hashed fixations with quick saccades between them, O(1) and stateless like blinks. */
export function gazeAt(seed: number, t: number, listening: number): [number, number] {
  const slot = Math.floor(t / GAZE_SLOT_SEC);
  const startOf = (k: number) => k * GAZE_SLOT_SEC + unit(seed, 8000 + k) * 1.2;
  const k = t >= startOf(slot) ? slot : slot - 1;
  const since = t - startOf(k);
  const a = gazeTarget(seed, k - 1, listening);
  const b = gazeTarget(seed, k, listening);
  const w = smoothstep(0, SACCADE_SEC, since);
  return [a[0] + (b[0] - a[0]) * w, a[1] + (b[1] - a[1]) * w];
}

/** The idle pose at a time: blinks, sway, breathing and the listening pose, all from the seed. */
export function idlePose(seed: number, idle: IdleInput): IdlePose {
  const t = idle.timeSec;
  const l = Math.min(1, Math.max(0, idle.listening));
  const b = blinkAt(seed, t);
  // Breathing at ~14 breaths a minute shows as a faint rise of the head.
  const breath = Math.sin(2 * Math.PI * 0.23 * t + unit(seed, 7) * 6.283);
  return {
    blink: [b, b],
    // ~0.9 degrees and ~1.5 % of a face width: enough to read as alive, not as a wobble.
    roll: 0.015 * wander(seed, 1, t, 0.07, 0.17) + 0.035 * l,
    tx: 0.015 * wander(seed, 2, t, 0.05, 0.13),
    ty: 0.008 * wander(seed, 3, t, 0.09, 0.21) + 0.006 * breath + 0.025 * l,
    scale: 0.003 * breath + 0.012 * l,
    gaze: gazeAt(seed, t, l),
  };
}
