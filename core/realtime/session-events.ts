// The live-session socket protocol (docs/realtime-sessions.md): what a client may send, parsed at the
// socket edge, and what the server sends. Event names and payloads follow the OpenAI Realtime API where
// one exists; seed 002/003 names are accepted as aliases and normalised here, so nothing past the edge
// sees an alias. Pure: the server, the SDK's RealtimeSession and the tests share it.
import { z } from "zod";

/** Close codes of the session socket (4000–4999 is the application range of RFC 6455). */
export const SESSION_CLOSE = {
  normal: 1000,
  going_away: 1001,
  unsupported_data: 1003,
  policy: 1008,
  too_big: 1009,
  internal: 1011,
  unauthorized: 4001,
  secret_reused: 4002,
  session_ended: 4003,
  rate_limited: 4008,
} as const;

/** Seed 002 allows 100 messages a second per connection; beyond it the client gets `rate_limited`. */
export const SESSION_MESSAGES_PER_SECOND = 100;
/** A text frame's upper bound; a 100 ms append of 48 kHz PCM16 in base64 is ~13 KB. */
export const SESSION_MAX_TEXT_FRAME_BYTES = 256 * 1024;

const eventId = z.string().max(128).optional();
const toolResult = z.object({ type: z.literal("function_call_output"), call_id: z.string().min(1).max(128), output: z.string().max(64_000) });
const userMessage = z.object({
  type: z.literal("message"),
  role: z.literal("user"),
  content: z.array(z.object({ type: z.literal("input_text"), text: z.string().min(1).max(4000) })).min(1).max(8),
});

export const turnDetectionSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("server_vad"),
    threshold: z.number().min(0.05).max(0.95).default(0.5),
    silence_duration_ms: z.number().int().min(100).max(5000).default(500),
    prefix_padding_ms: z.number().int().min(0).max(1000).default(300),
  }),
  z.object({ type: z.literal("none") }),
]);
export type TurnDetection = z.infer<typeof turnDetectionSchema>;

/** What `session.update` may change mid-session. */
export const sessionUpdateSchema = z.object({
  instructions: z.string().max(8000).optional(),
  voice: z.string().max(64).optional(),
  turn_detection: turnDetectionSchema.optional(),
  input_audio_format: z.object({ sample_rate: z.number().int().min(8000).max(48000) }).optional(),
});

/** Every client event after alias normalisation. */
export const clientEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("session.update"), event_id: eventId, session: sessionUpdateSchema }),
  z.object({ type: z.literal("input_audio_buffer.append"), event_id: eventId, audio: z.string().min(1).max(SESSION_MAX_TEXT_FRAME_BYTES) }),
  z.object({ type: z.literal("input_audio_buffer.commit"), event_id: eventId }),
  z.object({ type: z.literal("input_audio_buffer.clear"), event_id: eventId }),
  z.object({
    type: z.literal("conversation.item.create"),
    event_id: eventId,
    /** "client_stt": the browser transcribed the user itself; the text is the user's turn. */
    input_source: z.enum(["text", "client_stt"]).default("text"),
    item: z.union([userMessage, toolResult]),
  }),
  z.object({ type: z.literal("response.create"), event_id: eventId }),
  z.object({ type: z.literal("response.cancel"), event_id: eventId }),
  z.object({ type: z.literal("start_listening"), event_id: eventId }),
  z.object({ type: z.literal("stop_listening"), event_id: eventId }),
  z.object({
    type: z.literal("audio_config"),
    event_id: eventId,
    sample_rate: z.number().int().min(8000).max(48000),
    channel_count: z.literal(1),
  }),
  z.object({
    type: z.literal("buffer_status"),
    event_id: eventId,
    buffered_ms: z.number().min(0).max(600_000),
    /** Milliseconds of the current response the client has played. */
    playback_position: z.number().min(0).max(86_400_000),
  }),
  z.object({ type: z.literal("session.keep_alive"), event_id: eventId }),
  /**
   * Ours (the widget's `speak` mode): the avatar says `text` verbatim, no LLM, as a response (billed,
   * interruptible and in the transcript as the avatar's turn); it cuts a response already under way.
   */
  z.object({
    type: z.literal("avatar.speak"),
    event_id: eventId,
    text: z.string().min(1).max(4000).refine((t) => t.trim().length > 0, "say something (not only whitespace)"),
  }),
]);
export type ClientEvent = z.infer<typeof clientEventSchema>;

/** Seed 002 names → the OpenAI Realtime names they mean. `interrupt` is `response.cancel`. */
export const CLIENT_EVENT_ALIASES: Record<string, ClientEvent["type"]> = {
  audio_buffer_append: "input_audio_buffer.append",
  audio_buffer_commit: "input_audio_buffer.commit",
  audio_buffer_clear: "input_audio_buffer.clear",
  interrupt: "response.cancel",
};

export type SessionStatus = "listening" | "thinking" | "speaking" | "idle";
export type Usage = { speech_ms: number; credit_micros: number };

/** Every JSON event the server sends. The avatar itself travels as binary avatar-mux frames. */
export type ServerEvent =
  | { type: "session.created"; session: { id: string; thread_id: string; input_sample_rate: number; output_modality: "text" | "audio"; render: "client" | "server"; video_format: "mux" | "fmp4"; expires_at: string } }
  | { type: "session.updated"; session: Record<string, unknown> }
  | { type: "status"; status: SessionStatus }
  | { type: "input_audio_buffer.speech_started"; audio_start_ms: number; item_id: string }
  | { type: "input_audio_buffer.speech_stopped"; audio_end_ms: number; item_id: string }
  | { type: "input_audio_buffer.committed"; item_id: string }
  | { type: "input_audio_buffer.cleared" }
  | { type: "conversation.item.input_audio_transcription.delta"; item_id: string; delta: string }
  | { type: "conversation.item.input_audio_transcription.completed"; item_id: string; transcript: string }
  | { type: "response.created"; response: { id: string } }
  | { type: "response.text.delta"; response_id: string; delta: string }
  | { type: "response.function_call"; response_id: string; call_id: string; name: string; arguments: string }
  /** Where the avatar was cut: the client drops whatever it buffered past `played_ms` at once. */
  | { type: "response.interrupted"; response_id: string; played_ms: number; reason: "barge_in" | "cancelled" }
  | { type: "response.done"; response: { id: string; status: "completed" | "interrupted" | "cancelled" | "failed"; usage: Usage } }
  | { type: "session.ended"; reason: string }
  | { type: "error"; error: { code: string; message: string; retryable: boolean; event_id?: string; billingUrl?: string } };

// Seeds 002/003 carry an event's fields under `data` ({"type": "audio_config", "data": {"sample_rate": …}});
// the OpenAI shape has them at the top level. A `data` object is lifted when nothing else sits beside it.
function unwrapData(obj: Record<string, unknown>): Record<string, unknown> {
  const { data, ...rest } = obj;
  const others = Object.keys(rest).filter((k) => k !== "type" && k !== "event_id");
  if (!data || typeof data !== "object" || Array.isArray(data) || others.length > 0) return obj;
  return { ...(data as Record<string, unknown>), ...rest };
}

/** Parses one text frame: JSON, then an alias, then the schema. Never throws. */
export function parseClientEvent(text: string): { ok: true; event: ClientEvent } | { ok: false; code: "invalid_json" | "unknown_event" | "invalid_event"; message: string; eventId?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: "invalid_json", message: "Each text frame must be one JSON object." };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || typeof (raw as { type?: unknown }).type !== "string") {
    return { ok: false, code: "invalid_event", message: "An event is a JSON object with a string `type`." };
  }
  const obj = raw as { type: string; event_id?: unknown; [field: string]: unknown };
  const eventId = typeof obj.event_id === "string" ? obj.event_id.slice(0, 128) : undefined;
  const type = CLIENT_EVENT_ALIASES[obj.type] ?? obj.type;
  const parsed = clientEventSchema.safeParse({ ...unwrapData(obj), type });
  if (parsed.success) return { ok: true, event: parsed.data };
  const known = clientEventSchema.options.some((o) => o.shape.type.value === type);
  if (!known) return { ok: false, code: "unknown_event", message: `Unknown event type "${obj.type.slice(0, 64)}".`, eventId };
  const issue = parsed.error.issues[0];
  return { ok: false, code: "invalid_event", message: `${type}: ${issue?.path.join(".") || "event"}: ${issue?.message ?? "invalid"}`, eventId };
}
