import "server-only";
import type { ServerEvent } from "@/core/realtime/session-events";

// What a connected session (connection.ts) needs of the wire it runs over. Two implementations: the
// session WebSocket (ws-transport.ts) and a WebRTC peer connection (../webrtc/peer-transport.ts,
// events and mux records on a data channel, the voice as audio tracks). The session's logic —
// parsing, limits, timers, ends, the conversation — is the same over either.

export type TransportKind = "websocket" | "webrtc";

/**
 * How the wire ended: `closed` by the client (a close frame, the peer closing its data channel),
 * `dropped` without a word (a lost socket, a peer whose ICE failed or never connected: waited for a
 * grace period first), `error` (a protocol violation the transport cannot recover from).
 */
export type TransportEnd = "closed" | "dropped" | "error";

export type TransportHandlers = {
  /** A client message: a JSON text frame, or binary bytes (PCM16 frames after audio_config). */
  message(m: { text: string } | { bytes: Buffer }): void;
  /** Microphone audio the transport decoded itself (WebRTC's Opus track): PCM16 mono at `inputRate()`. */
  audio(pcm: Int16Array): void;
  /** The wire is gone; called once. */
  ended(how: TransportEnd, detail?: unknown): void;
  /** The session's input rate now (audio_config can change it): what `audio` must deliver. */
  inputRate(): number;
};

export interface SessionTransport {
  readonly kind: TransportKind;
  /** Open for sending (a WebRTC transport queues what is sent before its data channel opens). */
  readonly open: boolean;
  /** Starts delivering to `handlers`; called once, right after the connection is built. */
  listen(handlers: TransportHandlers): void;
  sendEvent(e: ServerEvent): void;
  /** Avatar-mux bytes (header, audio, motion, video, text records) in order. */
  sendRecord(bytes: Uint8Array): void;
  /** The reply was cut: voice audio (and video) queued on the transport's own tracks is dropped now. */
  dropMedia(): void;
  /** Bytes queued but not yet written: the conversation paces by it. */
  bufferedBytes(): number;
  /** Closes the wire with a session close code (core/realtime/session-events.ts SESSION_CLOSE). */
  close(code: number, reason: string): void;
}
