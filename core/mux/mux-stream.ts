import type { Bytes } from "./bytes";
import type { AvatarState, EndReason } from "./constants";
import type { MuxMouthParams } from "./types";
import { MuxWriter, samplesToMicros, type MuxHeaderInit } from "./writer";

export interface MuxStreamOptions {
  /** Bytes the producer may run ahead of the consumer before writes wait (default 256 KiB). */
  maxBufferedBytes?: number;
}

type Pending = { bytes: Bytes; samplesAfter: number };

/**
 * A MuxWriter bound to a ReadableStream: what a turn route returns as its response body.
 *
 * Records wait in a small queue and move to the stream only when the consumer pulls (the HTTP
 * layer pulls as the socket drains), so `deliveredSamples` counts the audio the client could have
 * received — the figure to settle billing on when it disconnects mid-turn. Writes resolve `false`
 * once the consumer has gone, telling the producer (TTS, renderer) to stop.
 */
export class MuxStream {
  readonly readable: ReadableStream<Uint8Array>;
  private readonly writer: MuxWriter;
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private readonly maxBuffered: number;
  private delivered = 0;
  private cancelledReason: unknown = undefined;
  private isCancelled = false;
  private closed = false;
  private waiters: (() => void)[] = [];
  private pullWaiter: (() => void) | null = null;

  constructor(header: MuxHeaderInit, options: MuxStreamOptions = {}) {
    this.writer = new MuxWriter(header);
    this.maxBuffered = options.maxBufferedBytes ?? 256 * 1024;
    this.readable = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => this.pull(controller),
        cancel: (reason) => {
          this.isCancelled = true;
          this.cancelledReason = reason;
          this.queue.length = 0;
          this.wakeWriters();
        },
      },
      // No internal buffering in the stream itself: our queue is the buffer, so delivery is exact.
      { highWaterMark: 0 },
    );
    this.enqueue(this.writer.start());
  }

  /** Audio samples in records the consumer has taken. */
  get deliveredSamples(): number {
    return this.delivered;
  }
  /** deliveredSamples as credit micros (1 s = 1,000,000), floored like usage records. */
  get deliveredMicros(): number {
    return samplesToMicros(this.delivered, this.writer.sampleRate);
  }
  /** Audio samples written so far (the stream clock). */
  get position(): number {
    return this.writer.position;
  }
  get cancelled(): boolean {
    return this.isCancelled;
  }
  get cancelReason(): unknown {
    return this.cancelledReason;
  }

  audio(samples: Int16Array): Promise<boolean> {
    return this.put(() => this.writer.audio(samples));
  }
  motion(frame: number, mouth: MuxMouthParams, visemeId?: number, visemeWeights?: number[]): Promise<boolean> {
    return this.put(() => this.writer.motion(frame, mouth, visemeId, visemeWeights));
  }
  video(frame: number, data: Uint8Array): Promise<boolean> {
    return this.put(() => this.writer.video(frame, data));
  }
  text(text: string, pts?: number): Promise<boolean> {
    return this.put(() => this.writer.text(text, pts));
  }
  state(state: AvatarState, pts?: number): Promise<boolean> {
    return this.put(() => this.writer.state(state, pts));
  }
  usage(): Promise<boolean> {
    return this.put(() => this.writer.usage());
  }
  /** An error after streaming began: error record, then end("error"), then the stream closes. */
  async fail(code: string, message: string, retryable = false): Promise<boolean> {
    const ok = await this.put(() => this.writer.error(code, message, retryable));
    return ok && this.end("error");
  }
  /** The end record; the stream closes once the consumer has read everything. */
  async end(reason: EndReason = "complete"): Promise<boolean> {
    const ok = await this.put(() => this.writer.end(reason));
    this.closed = true;
    this.pullWaiter?.();
    return ok;
  }

  private async put(encode: () => Bytes): Promise<boolean> {
    if (this.isCancelled) return false;
    this.enqueue(encode());
    while (this.queuedBytes > this.maxBuffered && !this.isCancelled) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return !this.isCancelled;
  }

  private wakeWriters(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private enqueue(bytes: Bytes): void {
    this.queue.push({ bytes, samplesAfter: this.writer.position });
    this.queuedBytes += bytes.length;
    this.pullWaiter?.();
  }

  private async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (this.queue.length === 0 && !this.closed && !this.isCancelled) {
      await new Promise<void>((resolve) => (this.pullWaiter = resolve));
      this.pullWaiter = null;
    }
    const next = this.queue.shift();
    if (next) {
      this.queuedBytes -= next.bytes.length;
      this.delivered = next.samplesAfter;
      controller.enqueue(next.bytes);
      if (this.queuedBytes <= this.maxBuffered) this.wakeWriters();
    }
    if (this.queue.length === 0 && this.closed) controller.close();
  }
}
