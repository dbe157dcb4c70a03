import type { HeaderRecord } from "../../../../core/mux";
import type { AvatarMuxEvent } from "../read-avatar-mux";
import type { PlayerAudioContext } from "./audio-types";
import { AudioTimeline } from "./audio-timeline";
import type { FrameSink } from "./frame-sink";
import { FrameTimeline } from "./frame-timeline";
import type { PlayerStats } from "./player-stats";
import { VideoDecoder, type DecodeVideo } from "./video-decoder";

export interface TurnPlaybackOptions {
  ctx: PlayerAudioContext;
  sink: FrameSink;
  /** Draw server frames (video records) rather than motion. */
  serverFrames: boolean;
  playoutDelayMs: number;
  destination?: unknown;
  decodeVideo?: DecodeVideo;
  /** The player's figures, updated as records arrive and frames are drawn. */
  stats: PlayerStats;
  onError: (error: unknown) => void;
}

/** One turn from its header on: each record goes to the audio timeline, the frame timeline or the figures. */
export class TurnPlayback {
  readonly audio: AudioTimeline;
  readonly frames: FrameTimeline;
  private readonly decoder: VideoDecoder;
  private readonly stats: PlayerStats;
  private readonly onError: (error: unknown) => void;
  /** Samples in the turn: from its end record, or what arrived when the stream closed without one. */
  totalSamples: number | null = null;

  constructor(
    readonly header: HeaderRecord,
    o: TurnPlaybackOptions,
  ) {
    this.audio = new AudioTimeline(o.ctx, header.sampleRate, o.playoutDelayMs / 1000, o.destination);
    this.frames = new FrameTimeline(o.sink, o.serverFrames, header.sampleRate, header.fps, o.stats);
    this.decoder = new VideoDecoder(o.decodeVideo, o.onError);
    this.stats = o.stats;
    this.onError = o.onError;
  }

  /** Routes one record that follows the header. */
  accept(ev: AvatarMuxEvent): void {
    switch (ev.kind) {
      case "audio":
        if (this.audio.schedule(ev.pts, ev.samples)) this.stats.underruns++;
        return;
      case "motion":
        if (!this.frames.serverFrames) this.frames.addMotion(ev);
        return;
      case "video":
        if (this.frames.serverFrames) this.frames.addVideo(this.decoder.add(ev));
        return;
      case "text_delta":
        this.frames.addCue({ pts: ev.pts, text: ev.text });
        return;
      case "state":
        this.frames.addCue({ pts: ev.pts, state: ev.state });
        return;
      case "usage":
        this.stats.renderedSeconds = ev.renderedMicros / 1_000_000;
        return;
      case "error":
        this.onError(ev);
        return;
      case "end":
        this.totalSamples = ev.totalSamples;
        return;
      default:
        return;
    }
  }

  /** The stream closed: without an end record, the turn is as long as the audio that came. */
  closed(): void {
    this.totalSamples ??= this.audio.received;
  }
}
