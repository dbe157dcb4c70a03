import type { AvatarState, HeaderRecord, MuxSource } from "../../../../core/mux";
import type { AvatarMuxEvent } from "../read-avatar-mux";
import type { FrameScheduler, PlayerAudioContext } from "./audio-types";
import type { DecodedVideoFrame, FrameSink } from "./frame-sink";
import { RESTING_MOUTH } from "./frame-timeline";
import { freshStats, type PlaybackResult, type PlayerStats } from "./player-stats";
import { TurnPlayback } from "./turn-playback";
import { openTurn } from "./turn-source";
import type { DecodeVideo } from "./video-decoder";

export type { PlaybackResult, PlayerStats } from "./player-stats";

/** Buffer before the first sample when neither the caller nor the server names one. */
export const DEFAULT_PLAYOUT_DELAY_MS = 150;

export interface AvatarPlayerOptions {
  sink: FrameSink;
  /** Defaults to a new AudioContext (create/resume it from a user gesture). */
  audioContext?: PlayerAudioContext;
  /** Audio output node; defaults to the context's destination. */
  destination?: AudioNode;
  /**
   * Buffer before the first sample plays, absorbing network jitter. Unset, the player uses the
   * server's `X-Playout-Delay-Ms` when play() gets a Response that carries it (how far ahead the
   * server paces the turn), else 150 ms.
   */
  playoutDelayMs?: number;
  /** "auto" draws video records when the stream has them, motion otherwise. */
  mode?: "auto" | "motion" | "video";
  /** Frame clock; defaults to requestAnimationFrame. */
  scheduler?: FrameScheduler;
  /** How often the "stats" event fires during playback (default 250 ms). */
  statsIntervalMs?: number;
  /** Decodes a video record; defaults to createImageBitmap (JPEG) / ImageData (I420). */
  decodeVideo?: DecodeVideo;
}

type Events = {
  stats: PlayerStats;
  state: AvatarState;
  text: string;
  error: unknown;
  ended: PlaybackResult;
};

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
  private turn: TurnPlayback | null = null;
  private frameHandle: number | null = null;
  private lastStatsEmit = -Infinity;
  private finish: ((r: PlaybackResult) => void) | null = null;
  private current: PlayerStats;
  private destination: AudioNode | undefined;

  constructor(options: AvatarPlayerOptions) {
    this.sink = options.sink;
    this.opts = options;
    this.ctx = options.audioContext;
    this.current = freshStats(this.sink.tier ?? "unknown");
  }

  /** Where the audio of the next turns goes (undefined: the options' destination, else the context's). A WebRTC session mutes it: its voice plays from the remote track. */
  setDestination(node: AudioNode | undefined): void {
    this.destination = node;
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
  play(source: MuxSource | Response): Promise<PlaybackResult> {
    return this.playTurn(openTurn(source));
  }

  /**
   * Play records already decoded (a header first, then its records) — one response of a live
   * session, which RealtimeSession cuts from the session's single mux stream.
   */
  playEvents(events: AsyncIterable<AvatarMuxEvent>, playoutDelayMs?: number): Promise<PlaybackResult> {
    return this.playTurn({ events, playoutDelayMs: playoutDelayMs ?? null });
  }

  private async playTurn(turn: { events: AsyncIterable<AvatarMuxEvent>; playoutDelayMs: number | null }): Promise<PlaybackResult> {
    this.stop();
    const run = ++this.run;
    this.reset();
    const ctx = (this.ctx ??= new AudioContext() as unknown as PlayerAudioContext);
    if (ctx.state === "suspended") await ctx.resume().catch(() => undefined);
    const done = new Promise<PlaybackResult>((resolve) => (this.finish = resolve));
    const delayMs = this.opts.playoutDelayMs ?? turn.playoutDelayMs ?? DEFAULT_PLAYOUT_DELAY_MS;
    this.loop(run);
    try {
      for await (const ev of turn.events) {
        if (run !== this.run) break;
        this.handle(ev, ctx, delayMs);
      }
      if (run === this.run) {
        this.turn?.closed();
        // A stream without audio (an early error, an idle-only turn) has no clock to wait for.
        if (!this.turn?.audio.started) this.complete("ended");
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
    this.turn = null;
    this.current = freshStats(this.sink.tier ?? "unknown");
    this.lastStatsEmit = -Infinity;
  }

  private useVideo(header: HeaderRecord | null = this.turn?.header ?? null): boolean {
    const mode = this.opts.mode ?? "auto";
    return mode === "video" || (mode === "auto" && header !== null && header.videoCodec !== "none");
  }

  private handle(ev: AvatarMuxEvent, ctx: PlayerAudioContext, playoutDelayMs: number): void {
    if (ev.kind !== "header") {
      // The reader refuses records before the header, so a turn exists from here on.
      this.turn!.accept(ev);
      return;
    }
    const serverFrames = this.useVideo(ev);
    const { sink, decodeVideo } = this.opts;
    const destination = this.destination ?? this.opts.destination;
    this.turn = new TurnPlayback(ev, { ctx, sink, serverFrames, playoutDelayMs, destination, decodeVideo, stats: this.current, onError: (e) => this.emit("error", e) });
    if (serverFrames) this.current.tier = sink.tier ?? "server";
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
    const turn = this.turn;
    const pos = turn?.audio.position() ?? null;
    if (!turn || pos === null) return;
    for (const cue of turn.frames.takeCues(pos)) {
      if (cue.text !== undefined) {
        this.current.text += cue.text;
        this.emit("text", this.current.text);
      }
      if (cue.state !== undefined) {
        this.current.state = cue.state;
        this.sink.setState?.(cue.state);
        this.emit("state", cue.state);
      }
    }
    turn.frames.draw(pos, nowMs);
    const rate = turn.header.sampleRate;
    const received = turn.audio.received;
    this.current.playedSeconds = Math.min(pos, received) / rate;
    this.current.bufferedMs = (Math.max(0, received - pos) / rate) * 1000;
    if (nowMs - this.lastStatsEmit >= (this.opts.statsIntervalMs ?? 250)) {
      this.lastStatsEmit = nowMs;
      this.emit("stats", this.stats);
    }
    if (turn.totalSamples !== null && pos >= turn.totalSamples) this.complete("ended");
  }

  private complete(reason: PlaybackResult["reason"], error?: unknown): void {
    const finish = this.finish;
    if (!finish) return;
    this.finish = null;
    this.run++;
    if (this.frameHandle !== null) (this.opts.scheduler ?? rafScheduler).cancel(this.frameHandle);
    this.frameHandle = null;
    this.turn?.audio.stop();
    // Close the mouth: the turn is over whatever the last frame showed.
    if (!this.useVideo()) this.sink.drawMotion(RESTING_MOUTH, this.current.playedSeconds);
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

export type { DecodedVideoFrame };
