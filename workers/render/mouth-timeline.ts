import type { MuxFace } from "@/core/mux";
import type { FrameInput } from "@/core/render/deform";
import { ExpressionBlend } from "@/core/render/expression";
import { RESTING_MOUTH, type MouthParams } from "@/core/render/mouth";

/**
 * A mouth shape due at `t` seconds on the avatar clock (the audio clock while speaking), with the
 * face of that frame (emotion id and speech gestures, from the mux motion record) when it has one.
 */
export type MouthKey = { t: number; mouth: MouthParams; face?: MuxFace };
/** Clock sync: the avatar clock read `t` seconds at `wallMs` (performance.timeOrigin + performance.now()). */
export type ClockSync = { t: number; wallMs: number };

// One page frame of the old page-side loop eased by 0.1 at 60 Hz: the same glide, now per second.
const LISTENING_TAU_SEC = 0.158;

/**
 * What the render worker draws at a given moment, from the state changes the page posted: mouth
 * keys with their timestamps, the clock they are stamped on, and the listening pose. The worker
 * asks it once per display frame; nothing here waits for the page.
 */
export class MouthTimeline {
  private keys: MouthKey[] = [];
  private current: MouthKey | null = null;
  private clock: ClockSync;
  private listening = 0;
  private listeningTarget = 0;
  private lastWallMs: number | null = null;
  // Blended on the wall clock, which never jumps back (a new turn restarts the avatar clock).
  private readonly expression = new ExpressionBlend("neutral");

  constructor(wallMs: number) {
    // Before any turn the idle clock starts at 0, as a fresh page's did.
    this.clock = { t: 0, wallMs };
  }

  /** Queues keys (any order); a key earlier than the queue's last starts a new timeline (a new turn's clock). */
  push(keys: readonly MouthKey[], clock?: ClockSync): void {
    if (clock) this.clock = clock;
    for (const k of [...keys].sort((a, b) => a.t - b.t)) {
      const last = this.keys.at(-1) ?? this.current;
      if (last && k.t < last.t) {
        this.keys = [];
        this.current = null;
      }
      this.keys.push(k);
    }
  }

  /** The avatar went idle: the mouth rests now, whatever was still queued. */
  rest(wallMs: number): void {
    this.keys = [];
    this.current = { t: this.clockAt(wallMs), mouth: RESTING_MOUTH };
  }

  setListening(on: boolean): void {
    this.listeningTarget = on ? 1 : 0;
  }

  /** Avatar clock at `wallMs`. */
  clockAt(wallMs: number): number {
    return this.clock.t + (wallMs - this.clock.wallMs) / 1000;
  }

  /** The frame due at `wallMs`: the newest key whose time has come, idle motion on the avatar clock. */
  frameAt(wallMs: number): { input: FrameInput; t: number } {
    const now = this.clockAt(wallMs);
    while (this.keys.length > 0 && this.keys[0]!.t <= now) this.current = this.keys.shift()!;
    const dt = this.lastWallMs === null ? 0 : Math.max(0, wallMs - this.lastWallMs) / 1000;
    this.lastWallMs = wallMs;
    this.listening += (this.listeningTarget - this.listening) * (1 - Math.exp(-dt / LISTENING_TAU_SEC));
    const face = this.current?.face;
    const expression = this.expression.at(face?.emotion ?? 0, wallMs / 1000);
    const gesture = { brow: face?.brow ?? 0, nod: face?.nod ?? 0 };
    return {
      input: { mouth: this.current?.mouth ?? RESTING_MOUTH, idle: { timeSec: now, listening: this.listening }, face: { expression, gesture } },
      t: this.current?.t ?? -1,
    };
  }
}
