/**
 * The slice of Web Audio the player uses. AudioContext satisfies it; tests in Node pass a fake
 * with the same shape (Web Audio cannot run there).
 */
export interface PlayerAudioBuffer {
  copyToChannel(source: Float32Array<ArrayBuffer>, channel: number): void;
}

export interface PlayerAudioSource {
  buffer: PlayerAudioBuffer | null;
  onended: ((ev: Event) => unknown) | null;
  connect(node: unknown): unknown;
  start(when?: number): void;
  stop(when?: number): void;
}

export interface PlayerAudioContext {
  readonly currentTime: number;
  /** Seconds between the graph's clock and the speaker; absent on some browsers. */
  readonly outputLatency?: number;
  readonly state: string;
  readonly destination: unknown;
  resume(): Promise<void>;
  createBuffer(channels: number, length: number, sampleRate: number): PlayerAudioBuffer;
  createBufferSource(): PlayerAudioSource;
}

/** A frame clock (requestAnimationFrame in pages). */
export interface FrameScheduler {
  request(cb: (nowMs: number) => void): number;
  cancel(handle: number): void;
}
