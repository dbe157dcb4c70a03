import "server-only";
import wrtc from "@roamhq/wrtc";
import { Resampler } from "@/core/audio";
import type { ServerEvent } from "@/core/realtime/session-events";
import type { SessionTransport, TransportEnd, TransportHandlers } from "../socket/transport";
import type { MediaOut } from "./media-out";

// The session over a WebRTC peer connection (@roamhq/wrtc, libwebrtc): the client's data channel
// carries the same JSON events both ways and the avatar-mux bytes down (binary messages, split to
// at most DATA_CHUNK bytes; records may span messages as they may span socket frames); the
// microphone arrives as an Opus track, decoded here to PCM16 at the session's input rate; the
// avatar's voice (and video) leave on the tracks MediaOut feeds.

/** SCTP messages above ~64 KB are not portable between browsers; smaller ones interleave better with events. */
export const DATA_CHUNK = 16 * 1024;
/** Events and records sent before the data channel opens wait (bounded) and go in order once it does. */
const MAX_EARLY_BYTES = 1024 * 1024;
/** After session.ended the channel gets this long to flush before the peer connection closes. */
const CLOSE_FLUSH_MS = 300;

type Pending = string | Uint8Array;

export class PeerTransport implements SessionTransport {
  readonly kind = "webrtc" as const;
  private channel: RTCDataChannel | null = null;
  private early: Pending[] = [];
  private earlyBytes = 0;
  private handlers: TransportHandlers | null = null;
  private sink: InstanceType<typeof wrtc.nonstandard.RTCAudioSink> | null = null;
  private resampler: Resampler | null = null;
  private closed = false;
  private ended = false;
  private connectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly media: MediaOut,
    connectTimeoutMs: number,
  ) {
    // A peer that never connects (no ICE path, an abandoned offer) is a dropped connection.
    this.connectTimer = setTimeout(() => this.finish("dropped", new Error("the peer did not connect in time")), connectTimeoutMs);
    pc.ondatachannel = (e) => this.attach(e.channel);
    // The offer's microphone track exists since setRemoteDescription (its ontrack fired before this transport).
    const mic = pc.getReceivers().find((r) => r.track.kind === "audio")?.track;
    if (mic) this.listenTo(mic);
    pc.ontrack = (e) => {
      if (e.track.kind === "audio" && !this.sink) this.listenTo(e.track);
    };
    pc.onconnectionstatechange = () => {
      const state = pc.connectionState;
      if (state === "connected") clearTimeout(this.connectTimer);
      // `disconnected` may recover by itself; `failed` will not.
      if (state === "failed") this.finish("dropped", new Error("ICE failed"));
      if (state === "closed") this.finish("closed");
    };
  }

  get open(): boolean {
    return !this.closed;
  }

  listen(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }

  private attach(channel: RTCDataChannel): void {
    if (this.channel) return channel.close(); // one events channel per session
    this.channel = channel;
    channel.binaryType = "arraybuffer";
    const flush = () => {
      for (const m of this.early) this.write(m);
      this.early = [];
      this.earlyBytes = 0;
    };
    if (channel.readyState === "open") flush();
    channel.onopen = flush;
    channel.onmessage = (e: MessageEvent) => {
      const data: unknown = e.data;
      if (typeof data === "string") this.handlers?.message({ text: data });
      else if (data instanceof ArrayBuffer) this.handlers?.message({ bytes: Buffer.from(data) });
      else if (ArrayBuffer.isView(data)) this.handlers?.message({ bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength) });
    };
    // The client closing its channel (or its peer connection) is its end of the session.
    channel.onclose = () => this.finish("closed");
  }

  /** The microphone's track: 10 ms PCM blocks at the decoder's rate, mixed to mono and resampled to the session's rate. */
  private listenTo(track: MediaStreamTrack): void {
    this.sink = new wrtc.nonstandard.RTCAudioSink(track);
    this.sink.ondata = (d: { samples: Int16Array; sampleRate: number; channelCount?: number }) => {
      const h = this.handlers;
      if (!h || this.closed) return;
      const target = h.inputRate();
      if (!this.resampler || this.resampler.inRate !== d.sampleRate || this.resampler.outRate !== target) this.resampler = new Resampler(d.sampleRate, target);
      const channels = d.channelCount ?? 1;
      const frames = Math.floor(d.samples.length / channels);
      const mono = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += d.samples[i * channels + c]!;
        mono[i] = sum / channels / 0x8000;
      }
      const out = this.resampler.push(mono);
      if (!out.length) return;
      const pcm = new Int16Array(out.length);
      for (let i = 0; i < out.length; i++) pcm[i] = Math.max(-0x8000, Math.min(0x7fff, Math.round(out[i]! * 0x8000)));
      h.audio(pcm);
    };
  }

  private write(m: Pending): void {
    const ch = this.channel;
    if (!ch || ch.readyState !== "open") return;
    try {
      if (typeof m === "string") ch.send(m);
      else for (let at = 0; at < m.byteLength; at += DATA_CHUNK) ch.send(m.slice(at, at + DATA_CHUNK));
    } catch (error) {
      this.finish("error", error);
    }
  }

  private enqueue(m: Pending): void {
    if (this.closed) return;
    if (this.channel?.readyState === "open") return this.write(m);
    const size = typeof m === "string" ? m.length : m.byteLength;
    if (this.earlyBytes + size > MAX_EARLY_BYTES) return; // a client that never opens its channel ends by the connect timeout
    this.early.push(m);
    this.earlyBytes += size;
  }

  sendEvent(e: ServerEvent): void {
    this.enqueue(JSON.stringify(e));
  }

  sendRecord(bytes: Uint8Array): void {
    if (this.closed) return;
    this.media.push(bytes);
    this.enqueue(bytes);
  }

  dropMedia(): void {
    this.media.drop();
  }

  bufferedBytes(): number {
    return (this.channel?.bufferedAmount ?? 0) + this.earlyBytes;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.connectTimer);
    this.media.stop();
    this.sink?.stop();
    // The last events (session.ended) get a moment on the wire before the connection goes.
    setTimeout(() => {
      this.channel?.close();
      this.pc.close();
    }, CLOSE_FLUSH_MS).unref();
  }

  private finish(how: TransportEnd, detail?: unknown): void {
    clearTimeout(this.connectTimer);
    if (this.ended) return;
    this.ended = true;
    this.handlers?.ended(how, detail);
  }
}
