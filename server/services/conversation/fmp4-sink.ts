import "server-only";
import type { Logger } from "pino";
import { MuxReader, type MuxRecord } from "@/core/mux";
import { Mp4Writer } from "@/server/render/mp4-writer";
import type { ConversationSink } from "./types";

/** Fragment length of a live reply: short, so the first picture leaves soon after the reply starts. */
const LIVE_KEYFRAME_SECONDS = 0.4;

/**
 * `video_format: "fmp4"` (seed 003: MP4 chunks fed to MediaSource): the loop's avatar-mux bytes are
 * read here, exactly as a client would read them, and each reply (its audio and server-rendered
 * JPEG frames, from its first record to its `idle` state) becomes one fragmented MP4 — H.264 +
 * AAC, an init segment then a fragment per 0.4 s — sent as binary frames while it is spoken. A plain
 * `<video>` plays the replies one after another through one SourceBuffer in `sequence` mode.
 * JSON events pass through untouched.
 */
export function fmp4Sink(sink: ConversationSink, log: Logger): ConversationSink {
  const reader = new MuxReader();
  let reply: LiveReply | null = null;
  let broken = false;
  const finish = () => {
    reply?.finish();
    reply = null;
  };
  const take = (r: MuxRecord) => {
    const header = reader.header;
    if (!header) return;
    if (r.kind === "audio" || r.kind === "video") {
      reply ??= new LiveReply(header.sampleRate, header.fps, header.width, sink, log);
      if (r.kind === "audio") reply.audio(r.samples);
      else reply.frame(r.data);
    } else if ((r.kind === "state" && r.state === "idle") || r.kind === "end" || r.kind === "error") {
      finish();
    }
  };
  // Delegated one by one: the socket's sink may be a class instance, whose methods a spread would drop.
  return {
    event: (e) => sink.event(e),
    bufferedBytes: () => sink.bufferedBytes(),
    activity: () => sink.activity(),
    usage: (u) => sink.usage(u),
    binary(bytes) {
      if (broken) return;
      try {
        for (const r of reader.push(bytes)) take(r);
      } catch (err) {
        // Our own stream failing our own reader is a bug; the session goes on without video.
        broken = true;
        finish();
        log.error({ err }, "the session's mux stream could not be read for fMP4");
      }
    },
  };
}

/**
 * One reply's encoder. Audio and frames go down two pipes, each queued in arrival order on its own,
 * so a full audio pipe never holds back the frames ffmpeg is waiting for (and the other way round).
 * A failure drops the reply's video, not the session.
 */
class LiveReply {
  private readonly writer: Mp4Writer;
  private audioQueue: Promise<void> = Promise.resolve();
  private frameQueue: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(sampleRate: number, fps: number, size: number, sink: ConversationSink, private readonly log: Logger) {
    this.writer = new Mp4Writer({
      audio: { pcm16: { sampleRate } },
      frameFormat: "jpeg",
      size,
      fps,
      frames: 0,
      fragmented: { onData: (chunk) => sink.binary(chunk.slice()), keyframeSeconds: LIVE_KEYFRAME_SECONDS },
    });
  }

  audio(samples: Int16Array) {
    const copy = samples.slice();
    this.audioQueue = this.after(this.audioQueue, () => this.writer.writeAudio(copy));
  }

  frame(jpeg: Uint8Array) {
    const copy = jpeg.slice();
    this.frameQueue = this.after(this.frameQueue, () => this.writer.write(copy));
  }

  finish() {
    void this.after(Promise.all([this.audioQueue, this.frameQueue]).then(() => undefined), () => this.writer.finish());
  }

  private after(queue: Promise<void>, step: () => Promise<void>): Promise<void> {
    return queue.then(async () => {
      if (this.failed) return;
      try {
        await step();
      } catch (err) {
        this.failed = true;
        this.log.warn({ err }, "a reply's fMP4 encoder failed; the reply goes on without video");
        await this.writer.finish().catch(() => undefined);
      }
    });
  }
}
