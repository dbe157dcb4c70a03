import type { ClientEvent } from "../../../../core/realtime/session-events";

// The client events RealtimeSession sends, built in one place so their shapes follow the protocol's
// schema (core/realtime/session-events.ts; the tests parse each with it).

export const audioConfig = (sampleRate: number): ClientEvent => ({ type: "audio_config", sample_rate: sampleRate, channel_count: 1 });

/** A typed user message (OpenAI Realtime shape). */
export const userText = (text: string): ClientEvent => ({
  type: "conversation.item.create",
  input_source: "text",
  item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
});

/** The result of a tool the model called, as the text the model reads. */
export const toolOutput = (callId: string, output: string): ClientEvent => ({
  type: "conversation.item.create",
  input_source: "text",
  item: { type: "function_call_output", call_id: callId, output },
});

export const bufferStatus = (bufferedMs: number, playbackPositionMs: number): ClientEvent => ({
  type: "buffer_status",
  buffered_ms: Math.max(0, Math.round(bufferedMs)),
  playback_position: Math.max(0, Math.round(playbackPositionMs)),
});

/** Speak mode: the avatar says `text` verbatim (no model in between); the server's `avatar.speak` event. */
export const avatarSpeak = (text: string) => ({ type: "avatar.speak" as const, text });

export const cancelResponse = (): ClientEvent => ({ type: "response.cancel" });
export const keepAlive = (): ClientEvent => ({ type: "session.keep_alive" });

/** A tool handler's return value as the output string the model reads (objects as JSON). */
export function toolResultText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "null";
  return JSON.stringify(value);
}

/** The session URL with the client secret as its `token` query parameter. */
export function authorisedUrl(url: string, clientSecret: string): string {
  const u = new URL(url);
  u.searchParams.set("token", clientSecret);
  return u.toString();
}
