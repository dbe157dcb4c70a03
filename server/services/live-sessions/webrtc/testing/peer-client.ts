import "server-only";
import wrtc from "@roamhq/wrtc";
import { Resampler } from "@/core/audio";
import type { ServerEvent } from "@/core/realtime/session-events";

// A Node WebRTC client of a live session (libwebrtc, as the server): a microphone track that streams
// 10 ms frames all the time (silence unless speaking, as a browser's does), the `events` data channel,
// and the avatar's voice track recorded as 10 ms peaks with their arrival times. Tests and the bench use it.

const RATE = 48_000;
const FRAME = RATE / 100;
/** A 10 ms block above this peak is the avatar speaking (espeak-ng peaks in the thousands; Opus silence is ~0). */
export const VOICE_PEAK = 500;

type AudioData = { samples: Int16Array; sampleRate: number; channelCount?: number };

export class PeerClient {
  readonly pc = new wrtc.RTCPeerConnection();
  readonly events: ServerEvent[] = [];
  /** performance.now() when each of `events` arrived. */
  readonly eventAt: number[] = [];
  readonly binaries: Uint8Array[] = [];
  /** Each 10 ms block of the avatar's voice as it arrived: performance.now() and its peak. */
  readonly voice: { at: number; peak: number }[] = [];
  readonly channel: RTCDataChannel;
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;
  videoFrames = 0;
  /** performance.now() when the last sample of the last speak() left. */
  lastSpokenAt = 0;
  private readonly mic = new wrtc.nonstandard.RTCAudioSource();
  private readonly micTrack = this.mic.createTrack();
  private pending: Int16Array = new Int16Array(0);
  private onSpoken: (() => void) | null = null;
  private readonly pump: NodeJS.Timeout;
  private readonly sinks: { stop(): void }[] = [];
  private readonly waiters: { type: string; done: (e: ServerEvent) => void }[] = [];

  constructor(o: { video?: boolean } = {}) {
    this.pc.addTrack(this.micTrack, new wrtc.MediaStream());
    if (o.video) this.pc.addTransceiver("video", { direction: "recvonly" });
    this.channel = this.pc.createDataChannel("events");
    this.channel.binaryType = "arraybuffer";
    this.opened = new Promise((done) => (this.channel.onopen = () => done()));
    this.closed = new Promise((done) => (this.channel.onclose = () => done()));
    this.channel.onmessage = (m: MessageEvent) => {
      if (typeof m.data !== "string") return void this.binaries.push(new Uint8Array(m.data as ArrayBuffer));
      const e = JSON.parse(m.data) as ServerEvent;
      this.events.push(e);
      this.eventAt.push(performance.now());
      for (const w of this.waiters.filter((w) => w.type === e.type)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.done(e);
      }
    };
    this.pc.ontrack = (e) => {
      if (e.track.kind === "video") {
        const sink = new wrtc.nonstandard.RTCVideoSink(e.track);
        sink.onframe = () => this.videoFrames++;
        this.sinks.push(sink);
        return;
      }
      const sink = new wrtc.nonstandard.RTCAudioSink(e.track);
      sink.ondata = (d: AudioData) => {
        let peak = 0;
        for (const s of d.samples) peak = Math.max(peak, Math.abs(s));
        this.voice.push({ at: performance.now(), peak });
      };
      this.sinks.push(sink);
    };
    // Frames go by the clock, not one per timer tick: a late tick (a busy event loop) sends what is due,
    // as a browser's audio thread would have captured it, instead of leaving a gap the far end hears as silence.
    const t0 = performance.now();
    let sent = 0;
    this.pump = setInterval(() => {
      const due = Math.floor((performance.now() - t0) / 10);
      for (; sent < due; sent++) this.sendFrame();
    }, 10);
  }

  /** The offer, with every candidate (no trickle). */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    if (this.pc.iceGatheringState !== "complete") await new Promise<void>((done) => (this.pc.onicegatheringstatechange = () => this.pc.iceGatheringState === "complete" && done()));
    return this.pc.localDescription!.sdp;
  }

  async accept(answer: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: "answer", sdp: answer });
  }

  send(event: unknown): void {
    this.channel.send(JSON.stringify(event));
  }

  /** Speaks PCM16 at `rate` into the microphone in real time; resolves when its last sample left. */
  speak(pcm: Int16Array, rate = 16_000): Promise<void> {
    const r = new Resampler(rate, RATE);
    const f = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 0x8000;
    const out = [...r.push(f), ...r.flush()];
    const next = new Int16Array(this.pending.length + out.length);
    next.set(this.pending);
    for (let i = 0; i < out.length; i++) next[this.pending.length + i] = Math.max(-0x8000, Math.min(0x7fff, Math.round(out[i]! * 0x8000)));
    this.pending = next;
    return new Promise((done) => (this.onSpoken = done));
  }

  private sendFrame(): void {
    const frame = new Int16Array(FRAME);
    if (this.pending.length) {
      frame.set(this.pending.subarray(0, FRAME));
      this.pending = this.pending.subarray(Math.min(FRAME, this.pending.length));
      if (!this.pending.length) {
        this.lastSpokenAt = performance.now();
        this.onSpoken?.();
        this.onSpoken = null;
      }
    }
    this.mic.onData({ samples: frame, sampleRate: RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME });
  }

  /** The first event of `type` (already received or still to come). */
  next<T extends ServerEvent["type"]>(type: T, ms = 10_000): Promise<Extract<ServerEvent, { type: T }>> {
    const seen = this.events.find((e) => e.type === type);
    if (seen) return Promise.resolve(seen as never);
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no ${type} within ${ms} ms; got ${this.events.map((e) => e.type).join(", ")}`)), ms);
      this.waiters.push({ type, done: (e) => (clearTimeout(timer), done(e as never)) });
    });
  }

  /** When the avatar's voice was first heard after `since` (performance.now()), or null. */
  voiceAfter(since: number): number | null {
    return this.voice.find((v) => v.at > since && v.peak > VOICE_PEAK)?.at ?? null;
  }

  close(): void {
    clearInterval(this.pump);
    for (const s of this.sinks) s.stop();
    this.micTrack.stop();
    this.pc.close();
  }
}
