import "server-only";
import { z } from "zod";
import { CLIENT_EVENT_ALIASES, clientEventSchema, SESSION_CLOSE, SESSION_MAX_TEXT_FRAME_BYTES, SESSION_MESSAGES_PER_SECOND } from "@/core/realtime/session-events";
import { SESSION_END_REASONS } from "@/server/db/schema";

// The session socket as an AsyncAPI 3 document, served at /asyncapi.json beside /openapi.json.
// Client events are generated from the zod schemas the socket parses with (core/realtime/
// session-events.ts); server events are written out here, and the socket tests validate every
// event they receive against them (socket/socket.int.test.ts), so neither side can drift silently.

type Json = Record<string, unknown>;

const str = { type: "string" };
const int = { type: "integer" };
const obj = (properties: Json, required: string[] = Object.keys(properties)): Json => ({ type: "object", properties, required });
const event = (type: string, properties: Json = {}, required?: string[]) => obj({ type: { type: "string", const: type }, ...properties }, ["type", ...(required ?? Object.keys(properties))]);
const usage = obj({ speech_ms: int, credit_micros: int });

/** JSON schemas of the events the server sends, by type. */
export const SERVER_EVENT_SCHEMAS: Record<string, Json> = {
  "session.created": event("session.created", {
    session: obj({
      id: str,
      thread_id: str,
      input_sample_rate: int,
      output_modality: { type: "string", enum: ["text", "audio"] },
      render: { type: "string", enum: ["client", "server"] },
      video_format: { type: "string", enum: ["mux", "fmp4"] },
      expires_at: { type: "string", format: "date-time" },
    }),
  }),
  "session.updated": event("session.updated", { session: { type: "object" } }),
  status: event("status", { status: { type: "string", enum: ["listening", "thinking", "speaking", "idle"] } }),
  "input_audio_buffer.speech_started": event("input_audio_buffer.speech_started", { audio_start_ms: int, item_id: str }),
  "input_audio_buffer.speech_stopped": event("input_audio_buffer.speech_stopped", { audio_end_ms: int, item_id: str }),
  "input_audio_buffer.committed": event("input_audio_buffer.committed", { item_id: str }),
  "input_audio_buffer.cleared": event("input_audio_buffer.cleared"),
  "conversation.item.input_audio_transcription.delta": event("conversation.item.input_audio_transcription.delta", { item_id: str, delta: str }),
  "conversation.item.input_audio_transcription.completed": event("conversation.item.input_audio_transcription.completed", { item_id: str, transcript: str }),
  "response.created": event("response.created", { response: obj({ id: str }) }),
  "response.text.delta": event("response.text.delta", { response_id: str, delta: str }),
  "response.function_call": event("response.function_call", { response_id: str, call_id: str, name: str, arguments: { type: "string", description: "JSON text of the arguments." } }),
  "response.interrupted": event("response.interrupted", {
    response_id: str,
    played_ms: { type: "number", description: "Where the avatar was cut: drop whatever is buffered past it at once." },
    reason: { type: "string", enum: ["barge_in", "cancelled"] },
  }),
  "response.done": event("response.done", {
    response: obj({ id: str, status: { type: "string", enum: ["completed", "interrupted", "cancelled", "failed"] }, usage }),
  }),
  "session.ended": event("session.ended", { reason: { type: "string", enum: [...SESSION_END_REASONS] } }),
  error: event("error", {
    error: obj(
      { code: str, message: str, retryable: { type: "boolean" }, event_id: str, billingUrl: str },
      ["code", "message", "retryable"],
    ),
  }),
};

function clientEventSchemas(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const option of clientEventSchema.options) {
    const schema = z.toJSONSchema(option, { io: "input" }) as Json;
    delete schema.$schema;
    out[option.shape.type.value] = schema;
  }
  return out;
}

/** Client events of ours, not of the OpenAI Realtime API or the seeds: said so in the document. */
const OUR_EVENTS: Record<string, string> = {
  "avatar.speak":
    "Our extension (the widget's `speak` mode): the avatar says `text` verbatim, no LLM, as a response — billed, interruptible (barge-in, `response.cancel`) and stored in the transcript as the avatar's turn like an answer. It cuts a response under way (`response.interrupted` reason `cancelled`).",
};

const messageName = (type: string) => type.replace(/[^A-Za-z0-9]+/g, "_");

let built: Json | undefined;

/** The AsyncAPI 3.0 document of the session socket. */
export function sessionAsyncApi(version = "0.1.0"): Json {
  if (built) return built;
  const client = clientEventSchemas();
  const messages: Json = {};
  for (const [type, payload] of Object.entries(client)) {
    const aliases = Object.entries(CLIENT_EVENT_ALIASES).filter(([, to]) => to === type).map(([from]) => from);
    const description = OUR_EVENTS[type] ?? (aliases.length ? `Also accepted as ${aliases.map((a) => `\`${a}\``).join(", ")} (seed 002).` : undefined);
    messages[messageName(type)] = { name: type, title: type, contentType: "application/json", payload, ...(description ? { description } : {}) };
  }
  messages.input_audio_pcm16 = {
    name: "input_audio_pcm16",
    title: "binary PCM16 audio",
    contentType: "application/octet-stream",
    description: "A binary frame: PCM16 mono little-endian at the `audio_config` sample rate. Before `audio_config`, or of an odd byte length, it is answered `error` `invalid_audio`.",
    payload: { type: "string", format: "binary" },
  };
  messages.avatar_fmp4 = {
    name: "avatar_fmp4",
    title: "binary fragmented MP4 (video_format fmp4)",
    contentType: "video/mp4",
    description:
      'With video_format "fmp4" (and render "server") the binary frames carry, instead of avatar-mux records, each reply as one fragmented MP4 (H.264 + AAC): its init segment (ftyp + moov) then a moof + mdat every 0.4 s while it is spoken. Append them to one MediaSource SourceBuffer in `sequence` mode; a plain <video> plays the replies back to back.',
    payload: { type: "string", format: "binary" },
  };
  for (const [type, payload] of Object.entries(SERVER_EVENT_SCHEMAS)) messages[messageName(type)] = { name: type, title: type, contentType: "application/json", payload };
  messages.avatar_mux = {
    name: "avatar_mux",
    title: "binary avatar-mux records",
    contentType: "application/x-avatar-mux",
    description: "The avatar itself: avatar-mux records (header once, then audio + motion, video when render is server, text deltas), played by the SDK's AvatarPlayer exactly as a turn.",
    payload: { type: "string", format: "binary" },
  };
  const ref = (name: string) => ({ $ref: `#/channels/session/messages/${name}` });
  const clientNames = [...Object.keys(client).map(messageName), "input_audio_pcm16"];
  const serverNames = [...Object.keys(SERVER_EVENT_SCHEMAS).map(messageName), "avatar_mux", "avatar_fmp4"];
  built = {
    asyncapi: "3.0.0",
    info: {
      title: "TIC Realtime Avatar live session socket",
      version,
      description: [
        "One WebSocket per live session (create it with POST /api/v1/realtime/sessions; see /openapi.json and docs/realtime-sessions.md).",
        "Authenticate with the session's client secret as the `token` query parameter or as a Sec-WebSocket-Protocol entry (offer `tic-realtime` beside it to have that echoed), never an API key. A secret opens one connection, once, before it expires.",
        `Limits: ${SESSION_MESSAGES_PER_SECOND} messages a second per connection (beyond: \`error\` rate_limited, the rest of that second dropped; a persisting flood closes ${SESSION_CLOSE.rate_limited}); frames over ${SESSION_MAX_TEXT_FRAME_BYTES} bytes close ${SESSION_CLOSE.too_big}.`,
        `Close codes: ${Object.entries(SESSION_CLOSE).map(([k, v]) => `${v} ${k}`).join(", ")}.`,
        "Over WebRTC (a session created with transport {type: \"webrtc\", sdp}) the same messages travel on the client's `events` data channel: each JSON event as one text message both ways, the avatar-mux bytes as binary messages of at most 16 KiB (a record may span messages). The microphone and the avatar's voice are Opus audio tracks, and render: server adds a video track. Closing the data channel or the peer connection is the client's close (client_closed).",
      ].join("\n\n"),
    },
    defaultContentType: "application/json",
    servers: {
      platform: { host: "{host}", protocol: "wss", description: "The platform's origin (ws:// on a plain-http local server).", variables: { host: { default: "localhost:3000" } } },
    },
    channels: {
      session: {
        address: "/api/v1/realtime/sessions/{sessionId}/socket",
        parameters: { sessionId: { description: "The session's id (ses_…)." } },
        messages,
        bindings: { ws: { query: { type: "object", properties: { token: { type: "string", description: "The client secret (or send it as a subprotocol)." } } } } },
      },
    },
    operations: {
      receiveClientEvents: { action: "receive", channel: { $ref: "#/channels/session" }, summary: "What the client sends.", messages: clientNames.map(ref) },
      sendServerEvents: { action: "send", channel: { $ref: "#/channels/session" }, summary: "What the server sends.", messages: serverNames.map(ref) },
    },
  };
  return built;
}
