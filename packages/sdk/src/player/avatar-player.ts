import type { AvatarState, HeaderRecord, MotionRecord, MuxMouthParams, MuxSource, VideoRecord } from "../../../../core/mux";
import { readAvatarMux, type AvatarMuxEvent } from "../read-avatar-mux";
import type { DecodedVideoFrame, FrameSink, RenderTier } from "./frame-sink";
import { i420ToRgba, pcm16ToFloat32 } from "./pcm";
import type { FrameScheduler, PlayerAudioContext, PlayerAudioSource } from "./audio-types";

export interface AvatarPlayerOptions {
  sink: FrameSink;
  /** Defaults to a new AudioContext (create/resume it from a user gesture). */
  audioContext?: PlayerAudioContext;
  /** Audio output node; defaults to the context's destination. */
  destination?: AudioNode;
  /** Buffer before the first sample plays, absorbing network jitter. */
  playoutDelayMs?: number;
  /** "auto" draws video records when the stream has them, motion otherwise. */
  mode?: "auto" | "motion" | "video";
  /** Frame clock; defaults to requestAnimationFrame. */
  scheduler?: FrameScheduler;
  /** How often the "stats" event fires during playback (default 250 ms). */
  statsIntervalMs?: number;
  /** Decodes a video record; defaults to createImageBitmap (JPEG) / ImageData (I420). */
  decodeVideo?: (rec: VideoRecord) => Promise<CanvasImageSource | ImageData>;
}

export interface PlayerStats {
  tier: RenderTier;
  state: AvatarState;
  framesDrawn: number;
  /** Frames drawn more than one frame period after their presentation time. */
  lateFrames: number;
  /** Frames never drawn because a later one was already due. */
  droppedFrames: number;
  /** Audio position minus the drawn frame's pts, in ms, at the last draw (positive: picture behind). */
  avOffsetMs: number;
  /** Largest |avOffsetMs| seen this turn. */
  maxAvOffsetMs: number;
  /** Audio received but not yet played, in ms. */
  bufferedMs: number;
  /** Times the audio ran dry and playback was pushed back. */
  underruns: number;
  /** Audio played so far, in seconds. */
  playedSeconds: number;
  /** Frames per second drawn over the last second. */
  fps: number;
  /** Transcript spoken so far. */
  text: string;
  /** Last usage record: billable seconds rendered. */
  renderedSeconds: number;
}

export interface PlaybackResult {
  reason: "ended" | "stopped" | "error";
  stats: PlayerStats;
  error?: unknown;
}

type Events = {
  stats: PlayerStats;
  state: AvatarState;
  text: string;
  error: unknown;
  ended: PlaybackResult;
};

const RESTING: MuxMouthParams = { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

interface Timed<T> {
  pts: number;
  value: T;
}

/**
 * Plays an avatar mux in the browser. Web Audio's clock is the master: audio records are scheduled
 * on the AudioContext timeline, and each animation frame draws the newest motion/video record whose
 * pts the audible position has reached, so pictures follow the sound and never the other way round.
 * Needs no API key: give it a stream your server obtained.
 */
export class AvatarPlayer {
  private readonly sink: FrameSink;
  private readonly opts: AvatarPlayerOptions;
  private ctx: PlayerAudioContext | undefined;
  private readonly listeners = new Map<keyof Events, Set<(v: never) => void>>();
  private run = 0;
  private header: HeaderRecord | null = null;
  private startTime: number | null = null;
  private received = 0;
  private totalSamples: number | null = null;
  private motion: MotionRecord[] = [];
  private video: { rec: VideoRecord; image?: CanvasImageSource | ImageData }[] = [];
  private cues: Timed<{ text?: string; state?: AvatarState }>[] = [];
  private sources = new Set<PlayerAudioSource>();
  private decoding: Promise<void> = Promise.resolve();
  private frameHandle: number | null = null;
  private drawTimes: number[] = [];
  private lastStatsEmit = -Infinity;
  private finish: ((r: PlaybackResult) => void) | null = null;
  private current: PlayerStats;

  constructor(options: AvatarPlayerOptions) {
    this.sink = options.sink;
    this.opts = options;
    this.ctx = options.audioContext;
    this.current = this.freshStats();
  }

  /** A snapshot of playback figures. */
  get stats(): PlayerStats {
    return { ...this.current };
  }

  /** Subscribe; returns the unsubscribe function. */
  on<K extends keyof Events>(type: K, fn: (value: Events[K]) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(fn as (v: never) => void);
    this.listeners.set(type, set);
    return () => set.delete(fn as (v: never) => void);
  }

  /** Play one stream to its end (or until stop()). Resolves when the last sample was heard. */
  async play(source: MuxSource | Response): Promise<PlaybackResult> {
    this.stop();
    const run = ++this.run;
    this.reset();
    const ctx = (this.ctx ??= new AudioContext() as unknown as PlayerAudioContext);
    if (ctx.state === "suspended") await ctx.resume().catch(() => undefined);
    const done = new Promise<PlaybackResult>((resolve) => (this.finish = resolve));
    this.loop(run);
    try {
      for await (const ev of readAvatarMux(source)) {
        if (run !== this.run) break;
        this.handle(ev, ctx);
      }
      if (run === this.run) {
        this.totalSamples ??= this.received;
        // A stream without audio (an early error, an idle-only turn) has no clock to wait for.
        if (this.startTime === null) this.complete("ended");
      }
    } catch (error) {
      if (run === this.run) {
        this.emit("error", error);
        this.complete("error", error);
      }
    }
    return done;
  }

  /** Stop playback now (audio and drawing); the pending play() resolves with reason "stopped". */
  stop(): void {
    if (!this.finish) return;
    this.complete("stopped");
  }

  private reset(): void {
    this.header = null;
    this.startTime = null;
    this.received = 0;
    this.totalSamples = null;
    this.motion = [];
    this.video = [];
    this.cues = [];
    this.drawTimes = [];
    this.decoding = Promise.resolve();
    this.current = this.freshStats();
  }

  private freshStats(): PlayerStats {
    return {
      tier: this.sink.tier ?? "unknown", state: "idle", framesDrawn: 0, lateFrames: 0, droppedFrames: 0,
      avOffsetMs: 0, maxAvOffsetMs: 0, bufferedMs: 0, underruns: 0, playedSeconds: 0, fps: 0, text: "", renderedSeconds: 0,
    };
  }

  private useVideo(): boolean {
    const mode = this.opts.mode ?? "auto";
    return mode === "video" || (mode === "auto" && this.header !== null && this.header.videoCodec !== "none");
  }

  private handle(ev: AvatarMuxEvent, ctx: PlayerAudioContext): void {
    switch (ev.kind) {
      case "header":
        this.header = ev;
        if (this.useVideo()) this.current.tier = this.sink.tier ?? "server";
        return;
      case "audio":
        this.schedule(ev.pts, ev.samples, ctx);
        return;
      case "motion":
        if (!this.useVideo()) this.motion.push(ev);
        return;
      case "video":
        if (this.useVideo()) this.decode(ev);
        return;
      case "text_delta":
        this.cues.push({ pts: ev.pts, value: { text: ev.text } });
        return;
      case "state":
        this.cues.push({ pts: ev.pts, value: { state: ev.state } });
        return;
      case "usage":
        this.current.renderedSeconds = ev.renderedMicros / 1_000_000;
        return;
      case "error":
        this.emit("error", ev);
        return;
      case "end":
        this.totalSamples = ev.totalSamples;
        return;
      default:
        return;
    }
  }

  private schedule(pts: number, samples: Int16Array, ctx: PlayerAudioContext): void {
    const rate = this.header!.sampleRate;
    const now = ctx.currentTime;
    this.startTime ??= now + (this.opts.playoutDelayMs ?? 150) / 1000;
    let when = this.startTime + pts / rate;
    if (when < now + 0.01) {
      // Audio arrived after its slot: push the whole timeline back (pictures follow, sync holds).
      this.startTime += now + 0.05 - when;
      when = this.startTime + pts / rate;
      this.current.underruns++;
    }
    const buffer = ctx.createBuffer(1, samples.length, rate);
    buffer.copyToChannel(pcm16ToFloat32(samples), 0);
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(this.opts.destination ?? ctx.destination);
    src.onended = () => this.sources.delete(src);
    src.start(when);
    this.sources.add(src);
    this.received = pts + samples.length;
  }

  private decode(rec: VideoRecord): void {
    const entry: { rec: VideoRecord; image?: CanvasImageSource | ImageData } = { rec };
    this.video.push(entry);
    const decoder = this.opts.decodeVideo ?? defaultDecodeVideo;
    // One decode at a time, in pts order: a burst of frames must not delay the one due first.
    this.decoding = this.decoding.then(() =>
      decoder(rec).then(
        (image) => void (entry.image = image),
        (error) => this.emit("error", error),
      ),
    );
  }

  /** Audible position in samples (what the listener hears now), or null before audio starts. */
  private position(): number | null {
    if (this.startTime === null || !this.ctx || !this.header) return null;
    const heard = this.ctx.currentTime - (this.ctx.outputLatency ?? 0) - this.startTime;
    return Math.max(0, heard) * this.header.sampleRate;
  }

  private loop(run: number): void {
    const sched = this.opts.scheduler ?? rafScheduler;
    const step = (nowMs: number) => {
      if (run !== this.run || !this.finish) return;
      this.tick(nowMs);
      // complete() bumps `run`, which ends the loop.
      if (run === this.run) this.frameHandle = sched.request(step);
    };
    this.frameHandle = sched.request(step);
  }

  private tick(nowMs: number): void {
    const pos = this.position();
    const h = this.header;
    if (pos === null || !h) return;
    const rate = h.sampleRate;
    const period = rate / h.fps;
    for (let c = this.cues[0]; c && c.pts <= pos; c = this.cues[0]) {
      this.cues.shift();
      if (c.value.text !== undefined) {
        this.current.text += c.value.text;
        this.emit("text", this.current.text);
      }
      if (c.value.state !== undefined) {
        this.current.state = c.value.state;
        this.sink.setState?.(c.value.state);
        this.emit("state", c.value.state);
      }
    }
    const queue: { pts: number }[] = this.useVideo() ? this.video.map((v) => v.rec) : this.motion;
    let due = -1;
    while (due + 1 < queue.length && queue[due + 1]!.pts <= pos) due++;
    if (due >= 0) {
      const pts = queue[due]!.pts;
      let drawn = false;
      if (this.useVideo()) {
        const entry = this.video[due]!;
        if (entry.image) {
          const r = entry.rec;
          this.sink.drawVideo({ frame: r.frame, pts, t: pts / rate, width: r.width, height: r.height, image: entry.image });
          drawn = true;
        }
      } else {
        this.sink.drawMotion(this.motion[due]!.mouth, pts / rate);
        drawn = true;
      }
      if (drawn) {
        // Frames before `due` were never shown: the audio already passed them.
        this.current.droppedFrames += due;
        (this.useVideo() ? this.video : this.motion).splice(0, due + 1);
        this.current.framesDrawn++;
        const offset = pos - pts;
        if (offset > period) this.current.lateFrames++;
        this.current.avOffsetMs = (offset / rate) * 1000;
        this.current.maxAvOffsetMs = Math.max(this.current.maxAvOffsetMs, Math.abs(this.current.avOffsetMs));
        this.drawTimes.push(nowMs);
      }
    }
    while (this.drawTimes.length > 0 && this.drawTimes[0]! < nowMs - 1000) this.drawTimes.shift();
    this.current.fps = this.drawTimes.length;
    this.current.playedSeconds = Math.min(pos, this.received) / rate;
    this.current.bufferedMs = (Math.max(0, this.received - pos) / rate) * 1000;
    if (nowMs - this.lastStatsEmit >= (this.opts.statsIntervalMs ?? 250)) {
      this.lastStatsEmit = nowMs;
      this.emit("stats", this.stats);
    }
    if (this.totalSamples !== null && pos >= this.totalSamples) this.complete("ended");
  }

  private complete(reason: PlaybackResult["reason"], error?: unknown): void {
    const finish = this.finish;
    if (!finish) return;
    this.finish = null;
    this.run++;
    if (this.frameHandle !== null) (this.opts.scheduler ?? rafScheduler).cancel(this.frameHandle);
    this.frameHandle = null;
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        // Already stopped or never started: nothing left to silence.
      }
    }
    this.sources.clear();
    // Close the mouth: the turn is over whatever the last frame showed.
    if (!this.useVideo()) this.sink.drawMotion(RESTING, this.current.playedSeconds);
    if (reason !== "error" && this.current.state === "speaking") {
      this.current.state = "idle";
      this.sink.setState?.("idle");
    }
    const result: PlaybackResult = { reason, stats: this.stats, ...(error === undefined ? {} : { error }) };
    this.emit("stats", result.stats);
    this.emit("ended", result);
    finish(result);
  }

  private emit<K extends keyof Events>(type: K, value: Events[K]): void {
    for (const fn of this.listeners.get(type) ?? []) (fn as (v: Events[K]) => void)(value);
  }
}

const rafScheduler: FrameScheduler = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (id) => cancelAnimationFrame(id),
};

async function defaultDecodeVideo(rec: VideoRecord): Promise<CanvasImageSource | ImageData> {
  if (rec.codec === "jpeg") return createImageBitmap(new Blob([rec.data as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }));
  return new ImageData(i420ToRgba(rec.data, rec.width, rec.height) as Uint8ClampedArray<ArrayBuffer>, rec.width, rec.height);
}

export type { DecodedVideoFrame };
