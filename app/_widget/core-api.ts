import type { WidgetConfig } from "./config";

// The seam between the loader (widget.js: the element, its UI, ≤ 15 KB) and the core chunk it
// imports on demand (renderer client, player, session). Types only: the loader holds no core code.

export type WidgetTransportUsed = "websocket" | "webrtc";
export type WidgetStatus = "idle" | "loading" | "connecting" | "listening" | "thinking" | "speaking" | "reconnecting" | "ended" | "error";

/** The element's events and their `detail` (CustomEvent). */
export type WidgetEvents = {
  /** `transport`: what the session was created over (null in audio mode, which has none). */
  ready: { tier: "webgpu" | "canvas2d" | "server"; fallbackReason: string | null; transport: WidgetTransportUsed | null; mode: WidgetConfig["mode"] };
  /** `transport`: once connected, the one in use (WebRTC, or the WebSocket it fell back to). */
  status: { status: WidgetStatus; transport?: WidgetTransportUsed };
  transcript: { role: "user" | "assistant"; id: string; text: string; final: boolean };
  error: { code: string; message: string; retryable: boolean };
  ended: { reason: string };
};

export type Emit = <K extends keyof WidgetEvents>(type: K, detail: WidgetEvents[K]) => void;

export type CoreOptions = {
  config: WidgetConfig;
  /** Where the canvas goes (inside the shadow root). */
  stage: HTMLElement;
  audioContext: AudioContext;
  emit: Emit;
};

/** One avatar on the page, driven by the element's methods. */
export type AvatarHandle = {
  start(): Promise<void>;
  end(): void;
  speak(text: string): Promise<void>;
  interrupt(): void;
  attachAudio(source: MediaStream | HTMLMediaElement): Promise<void>;
  /** Frames the renderer drew over the last second, and how many frames it has drawn (test and bench probes). */
  stats(): { fps: number; tier: string; mouthKeys: number };
  /** The frame on screen, read back from the render worker (RGBA, base64), for tests. */
  snapshot(): Promise<{ width: number; height: number; t: number; rgba: string }>;
  dispose(): void;
};

export type CoreModule = { createAvatar(o: CoreOptions): AvatarHandle };
