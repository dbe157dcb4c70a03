import "server-only";
import wrtc from "@roamhq/wrtc";
import sharp from "sharp";
import { Resampler } from "@/core/audio";
import { MuxReader, type MuxRecord } from "@/core/mux";

// The avatar on a peer connection's own tracks: the mux stream the conversation writes is read here
// as it leaves, its audio records become the Opus voice track (played out in real time, 10 ms at a
// time, so the browser's echo canceller hears exactly what the speaker plays), and with
// render: "server" its video records (JPEG) become I420 frames of the video track, each sent when
// the voice reaches its time.

/** libwebrtc's audio frames are 10 ms; 48 kHz is Opus's native rate. */
export const TRACK_RATE = 48_000;
const FRAME = TRACK_RATE / 100;
/** After a stall (a busy event loop) at most this many frames go at once; the rest is skipped, not bunched. */
const MAX_CATCH_UP = 5;
/** With nothing new to show, the last picture is sent again this often, so the video stays live. */
const VIDEO_REPEAT_MS = 200;
/** Queued voice past this (the conversation runs at most ~0.4 s ahead) is a runaway: the oldest is dropped. */
const MAX_QUEUED_SECONDS = 10;

type Frame = { pts: number; i420: Uint8Array; width: number; height: number };

export class MediaOut {
  readonly audioTrack: MediaStreamTrack;
  readonly videoTrack: MediaStreamTrack | null;
  private readonly audio = new wrtc.nonstandard.RTCAudioSource();
  private readonly video: InstanceType<typeof wrtc.nonstandard.RTCVideoSource> | null;
  private readonly reader = new MuxReader();
  private resampler: Resampler | null = null;
  private streamRate = 0;
  /** Voice waiting to be played, at TRACK_RATE, and the mux pts (stream samples) of its first sample. */
  private queue: Int16Array[] = [];
  private queued = 0;
  private headPts = 0;
  /** Stream samples of the voice already played: the video's clock. */
  private playedPts = 0;
  private frames: Frame[] = [];
  private lastFrame: Frame | null = null;
  private lastFrameAt = 0;
  private decoding: Promise<void> = Promise.resolve();
  /** Bumped by drop(): frames decoded for a cut reply are not shown. */
  private generation = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly t0 = performance.now();
  private sentFrames = 0;
  private readonly silence = new Int16Array(FRAME);

  constructor(withVideo: boolean) {
    this.audioTrack = this.audio.createTrack();
    this.video = withVideo ? new wrtc.nonstandard.RTCVideoSource() : null;
    this.videoTrack = this.video?.createTrack() ?? null;
    this.timer = setInterval(() => this.tick(), 10);
  }

  /** Mux bytes as the client receives them (records may span calls). */
  push(bytes: Uint8Array): void {
    for (const rec of this.reader.push(bytes)) this.take(rec);
  }

  /** A cut reply: what is queued is not played. */
  drop(): void {
    this.queue = [];
    this.queued = 0;
    this.frames = [];
    this.generation++;
  }

  stop(): void {
    clearInterval(this.timer);
    this.audioTrack.stop();
    this.videoTrack?.stop();
  }

  private take(rec: MuxRecord): void {
    if (rec.kind === "header") {
      if (rec.sampleRate !== this.streamRate) {
        this.streamRate = rec.sampleRate;
        this.resampler = new Resampler(rec.sampleRate, TRACK_RATE);
      }
      return;
    }
    if (rec.kind === "audio" && this.resampler) {
      if (this.queued === 0) this.headPts = rec.pts;
      const float = new Float32Array(rec.samples.length);
      for (let i = 0; i < float.length; i++) float[i] = rec.samples[i]! / 0x8000;
      const out = this.resampler.push(float);
      const pcm = new Int16Array(out.length);
      for (let i = 0; i < out.length; i++) pcm[i] = Math.max(-0x8000, Math.min(0x7fff, Math.round(out[i]! * 0x8000)));
      this.queue.push(pcm);
      this.queued += pcm.length;
      while (this.queued > MAX_QUEUED_SECONDS * TRACK_RATE && this.queue.length > 1) this.queued -= this.queue.shift()!.length;
      return;
    }
    if (rec.kind === "video" && this.video && rec.codec === "jpeg") {
      const gen = this.generation;
      const { pts, data, width, height } = rec;
      // Decoded in order, off the 10 ms tick; a frame of a reply cut meanwhile is dropped.
      this.decoding = this.decoding.then(async () => {
        const frame = await toI420(data, width, height, pts).catch(() => null);
        if (frame && gen === this.generation) this.frames.push(frame);
      });
    }
  }

  private tick(): void {
    const due = Math.floor((performance.now() - this.t0) / 10) - this.sentFrames;
    const n = Math.min(due, MAX_CATCH_UP);
    this.sentFrames += due; // frames beyond the catch-up are skipped: the voice stays on real time
    for (let i = 0; i < n; i++) this.audio.onData({ samples: this.nextFrame(), sampleRate: TRACK_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME });
    this.showVideo();
  }

  /** The next 10 ms of voice, or silence when none is queued. */
  private nextFrame(): Int16Array {
    if (this.queued === 0) return this.silence;
    const out = new Int16Array(FRAME);
    let filled = 0;
    while (filled < FRAME && this.queue.length) {
      const head = this.queue[0]!;
      const take = Math.min(FRAME - filled, head.length);
      out.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(take);
    }
    this.queued -= filled;
    const streamSamples = this.streamRate ? (filled * this.streamRate) / TRACK_RATE : 0;
    this.headPts += streamSamples;
    this.playedPts = this.headPts;
    return out;
  }

  /** Frames whose time the voice has reached (all of them when no voice is queued); else the last one again now and then. */
  private showVideo(): void {
    if (!this.video) return;
    let shown: Frame | null = null;
    while (this.frames.length && (this.queued === 0 || this.frames[0]!.pts <= this.playedPts)) shown = this.frames.shift()!;
    const now = performance.now();
    if (!shown && this.lastFrame && now - this.lastFrameAt >= VIDEO_REPEAT_MS) shown = this.lastFrame;
    if (!shown) return;
    this.video.onFrame({ width: shown.width, height: shown.height, data: shown.i420 });
    this.lastFrame = shown;
    this.lastFrameAt = now;
  }
}

/** A JPEG video record as an I420 frame (libwebrtc's input format). */
async function toI420(jpeg: Uint8Array, width: number, height: number, pts: number): Promise<Frame> {
  const rgba = await sharp(jpeg).ensureAlpha().raw().toBuffer();
  const i420 = new Uint8Array(width * height * 1.5);
  wrtc.nonstandard.rgbaToI420({ width, height, data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength) }, { width, height, data: i420 });
  return { pts, i420, width, height };
}
