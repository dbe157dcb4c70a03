import "server-only";
// The seam between the session socket (server/services/live-sessions: auth, framing, limits, ends)
// and the conversation loop (this folder: listen → recognise → reply → speak, barge-in, billing,
// transcript). The socket parses and normalises every client event (core/realtime/session-events.ts)
// before the loop sees it; the loop never touches the socket.
import type { Logger } from "pino";
import type { ClientEvent, ServerEvent, TurnDetection } from "@/core/realtime/session-events";
import type { Environment } from "../credits/ledger";

export type ToolDefinition = { type: "function"; name: string; description?: string; parameters?: Record<string, unknown> };

/** A session's settings, from its create body (stored in realtime_sessions.config) and session.update. */
export type ConversationConfig = {
  sessionId: string;
  threadId: string;
  tenantId: string;
  environment: Environment;
  apiKeyId: string | null;
  avatarId: string;
  outputModality: "text" | "audio";
  input: "voice" | "text";
  /** Our voice id (seed 004 names are mapped at the API edge). */
  voice: string | null;
  prompt: string | null;
  language: string;
  render: "client" | "server";
  /** How the avatar travels in binary frames: avatar-mux records, or (render "server") fragmented MP4 (fmp4-sink.ts). */
  videoFormat: "mux" | "fmp4";
  turnDetection: TurnDetection;
  /** Client PCM16 mono rate (16 kHz default; `audio_config` / `session.update` change it). */
  inputSampleRate: number;
  tools: ToolDefinition[];
  log: Logger;
};

/** Where the loop's output goes; the socket owns ordering, backpressure and closing. */
export interface ConversationSink {
  /** A JSON event for the client. */
  event(e: ServerEvent): void;
  /** Avatar-mux bytes (header, audio, motion, video, text records), in order. */
  binary(bytes: Uint8Array): void;
  /** Bytes queued on the socket but not yet written: the loop paces by it. */
  bufferedBytes(): number;
  /** The user spoke or the client acted: resets the idle timer. */
  activity(): void;
  /** Billed speech so far, for the session row (speech_ms, billed_micros). */
  usage(u: { speechMs: number; creditMicros: number }): void;
}

export interface Conversation {
  /** A parsed, normalised client event other than audio and keep-alive. */
  handle(e: ClientEvent): Promise<void>;
  /** Raw PCM16 mono at config.inputSampleRate (binary frames, or a decoded input_audio_buffer.append). */
  appendAudio(pcm: Int16Array): void;
  /** Stops everything (LLM, TTS, pipeline), settles open holds, writes the transcript tail. Idempotent. */
  close(reason: string): Promise<void>;
}
