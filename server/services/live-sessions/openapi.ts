import "server-only";
import { describedBodySchema, queryParameters } from "@/core/openapi/zod-schemas";
import { REALTIME_SESSION_STATUSES, SESSION_END_REASONS } from "@/server/db/schema";
import { createSessionInput, listSessionsQuery, streamingStartInput } from "./schemas";
import { SEED_VOICES } from "./voices";

// Live sessions in the served OpenAPI document (server/http/openapi/extensions.ts). The create body
// is generated from the zod schema the route parses with, so the two cannot drift; the answers are
// written out here and checked against real answers by server/http/contract.int.test.ts.

type Json = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, unknown>>; components: Json & { schemas: Json; responses: Json } };

const DESCRIPTIONS: Record<string, string> = {
  outputModality: "Seed 004: `audio` (the avatar speaks: audio + motion records) or `text` (text deltas only).",
  threadId: "Seed 004: continue this thread's history (from an earlier session of this workspace and key environment, same avatar). Omitted: a new thread.",
  prompt: "Seed 004: the persona/instructions for this session; null or omitted: the avatar's settings.",
  sessionId: "Seed 004: your own reference for the session (e.g. your call id), stored and returned as given. Our id is `session_id`.",
  transport:
    "Seed 004: `{type: \"websocket\"}` (default), or `{type: \"webrtc\", sdp: \"<offer>\"}`: the browser's SDP offer (gathering complete; an audio transceiver, the `events` data channel, and a recvonly video transceiver for render: server). The 201 then carries the server's SDP answer in `transport.sdp` and the session runs over that peer connection (docs/realtime-sessions.md, WebRTC). An offer that is not SDP or lacks what the session needs answers 422 `invalid_sdp`.",
  voice: `Seed 004's voice names (${SEED_VOICES.join(", ")}) map to this server's voices by the table in docs/realtime-sessions.md; our own voice ids (\`espeak:en-us+f3\`, \`openai:alloy\`) work too. Null: the avatar's voice.`,
  avatar_id: "A ready avatar of this workspace (prepare it first).",
  input: "`voice`: microphone audio over the socket; `text`: only `conversation.item.create` (audio frames are refused).",
  turn_detection: "`server_vad` (default): the server detects when the user stops; `none`: push-to-talk, the client sends `input_audio_buffer.commit`.",
  language: "BCP-47 tag of the user's speech and the avatar's replies. A voice session in a language the server's recogniser cannot do answers 422 `unsupported_language`.",
  render: "`client` (default): audio + motion records for the viewer's GPU; `server`: JPEG video records as well.",
  video_format: "`mux` (default): binary frames are avatar-mux records. `fmp4` (seed 003; needs `render: \"server\"` and `outputModality: \"audio\"`): binary frames are each reply as a fragmented MP4 (H.264 + AAC) for MediaSource.",
  max_seconds: "The session ends (`max_duration`) this long after the socket connects.",
  idle_timeout_s: "The session ends (`idle_timeout`) after this long without user speech or client events.",
  tools: "Function definitions; the model's calls reach the client as `response.function_call` events and run there.",
  metadata: "Any JSON object; stored and returned.",
};

const createBodySchema = () => describedBodySchema(createSessionInput, DESCRIPTIONS);

const nullableString = { type: ["string", "null"] };
const isoTime = { type: "string", format: "date-time" };

const summary = {
  type: "object",
  properties: {
    id: { type: "string", pattern: "^ses_" },
    session_id: { type: "string", pattern: "^ses_", description: "The same as `id`." },
    object: { type: "string", const: "realtime.session" },
    status: { type: "string", enum: [...REALTIME_SESSION_STATUSES], description: "`created` (secret issued), `connected` (socket open), `ended`." },
    avatar_id: { type: "string" },
    threadId: { type: "string", pattern: "^thr_" },
    sessionId: { ...nullableString, description: "Your reference (seed 004 `sessionId`)." },
    outputModality: { type: "string", enum: ["text", "audio"] },
    created_at: isoTime,
    started_at: { type: ["string", "null"], format: "date-time", description: "When the socket connected." },
    ended_at: { type: ["string", "null"], format: "date-time" },
    duration_ms: { type: "integer", minimum: 0, description: "Connected time (so far, while connected)." },
    speech_ms: { type: "integer", minimum: 0, description: "Avatar speech delivered: the only thing a session bills." },
    billed_speech_seconds: { type: "number", minimum: 0 },
    billed_credit_micros: { type: "integer", minimum: 0 },
    end_reason: { type: ["string", "null"], enum: [...SESSION_END_REASONS, null] },
    metadata: { type: "object" },
  },
  required: ["id", "session_id", "object", "status", "avatar_id", "threadId", "created_at", "duration_ms", "speech_ms", "billed_speech_seconds", "billed_credit_micros", "end_reason"],
};

const settings = {
  prompt: nullableString,
  voice: { ...nullableString, description: "Our voice id the session speaks with." },
  input: { type: "string", enum: ["voice", "text"] },
  turn_detection: { type: "object" },
  language: { type: "string" },
  render: { type: "string", enum: ["client", "server"] },
  video_format: { type: "string", enum: ["mux", "fmp4"] },
  max_seconds: { type: "integer" },
  idle_timeout_s: { type: "integer" },
  tools: { type: "array", items: { type: "object" } },
  transport: {
    type: "object",
    properties: {
      type: { type: "string", enum: ["websocket", "webrtc"] },
      sdp: { type: "string", description: "webrtc: the server's SDP answer, with its ICE candidates (no trickle). Apply it with setRemoteDescription({type: \"answer\", sdp})." },
    },
    required: ["type"],
  },
};

const created = {
  allOf: [
    { $ref: "#/components/schemas/RealtimeSession" },
    {
      type: "object",
      properties: {
        ...settings,
        url: { type: "string", pattern: "^wss?://", description: "The session's WebSocket. Connect with `?token=<client_secret.value>` or offer the secret as a Sec-WebSocket-Protocol (beside `tic-realtime`)." },
        client_secret: {
          type: "object",
          description: "Shown once. Give it to the browser: it opens one connection, once, before `expires_at` (60 s by default).",
          properties: { value: { type: "string", pattern: "^tcs_" }, expires_at: isoTime },
          required: ["value", "expires_at"],
        },
        expires_at: { ...isoTime, description: "The latest the session can run: connected at the secret's expiry, then `max_seconds`." },
      },
      required: ["url", "client_secret", "expires_at"],
    },
  ],
};

const detail = {
  allOf: [
    { $ref: "#/components/schemas/RealtimeSession" },
    {
      type: "object",
      properties: {
        ...settings,
        transcript: {
          type: "array",
          description: "User and avatar turns in order; times are milliseconds from the session's start. An interrupted avatar turn holds only what the client played.",
          items: {
            type: "object",
            properties: {
              role: { type: "string", enum: ["user", "assistant", "tool"] },
              text: { type: "string" },
              interrupted: { type: "boolean" },
              start_ms: { type: ["integer", "null"] },
              end_ms: { type: ["integer", "null"] },
              tool: { type: ["object", "null"] },
              created_at: isoTime,
            },
            required: ["role", "text", "interrupted", "created_at"],
          },
        },
      },
      required: ["transcript"],
    },
  ],
};

const list = {
  type: "object",
  properties: {
    data: { type: "array", items: { $ref: "#/components/schemas/RealtimeSession" } },
    next_cursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last page." },
  },
  required: ["data", "next_cursor"],
};

const sessionIdParam = { name: "sessionId", in: "path", required: true, schema: { type: "string", pattern: "^ses_" } };
const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });

const listParameters = () =>
  queryParameters(listSessionsQuery, {
    limit: "Page size (1–100, default 20).",
    cursor: "`next_cursor` of the previous page.",
    status: "Only sessions in this status.",
    avatar_id: "Only sessions of this avatar.",
  });

/** Adds the live-session operations and schemas to the served OpenAPI document. */
export function extendSessionsDocument(doc: Doc): void {
  Object.assign(doc.components.schemas, {
    RealtimeSessionCreateRequest: createBodySchema(),
    RealtimeSession: summary,
    RealtimeSessionCreated: created,
    RealtimeSessionDetail: detail,
    RealtimeSessionList: list,
  });
  const tags = ["realtime"];
  doc.paths["/api/v1/realtime/sessions"] = {
    post: {
      tags,
      operationId: "createRealtimeSession",
      summary: "Start a live session",
      description:
        "Starts a live conversation with an avatar over one WebSocket (protocol: docs/realtime-sessions.md, /asyncapi.json), or over WebRTC with `transport: {type: \"webrtc\", sdp}` (the 201's `transport.sdp` is the answer; a bad offer answers 422 `invalid_sdp`). Call it from your server with your API key; give the browser only `url` and `client_secret`. A workspace holds at most its plan's number of live sessions at once: beyond it 429 `session_limit_reached` with Retry-After. Only the avatar's speech is billed. Requires scope `realtime:write`.",
      requestBody: { required: true, content: json("RealtimeSessionCreateRequest") },
      responses: {
        "201": { description: "Session created; connect within `client_secret.expires_at`.", content: json("RealtimeSessionCreated") },
        "404": { $ref: "#/components/responses/NotFound" },
        "409": { description: "The avatar is not ready, or the Idempotency-Key was used before (a client secret is never replayed).", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    },
    get: {
      tags,
      operationId: "listRealtimeSessions",
      summary: "List live sessions",
      description: "Sessions of the calling key's environment, newest first, in cursor pages. Requires scope `realtime:write`.",
      parameters: listParameters(),
      responses: { "200": { description: "A page of sessions", content: json("RealtimeSessionList") } },
    },
  };
  doc.paths["/api/v1/realtime/sessions/{sessionId}"] = {
    parameters: [sessionIdParam],
    get: {
      tags,
      operationId: "getRealtimeSession",
      summary: "Get a live session",
      description: "One session with its settings and transcript. Another workspace's id answers 404. Requires scope `realtime:write`.",
      responses: { "200": { description: "The session", content: json("RealtimeSessionDetail") } },
    },
  };
  doc.paths["/api/v1/realtime/streaming.start"] = {
    post: {
      tags,
      operationId: "startRealtimeStreaming",
      summary: "Start a created session over WebRTC (seed 002)",
      description:
        "Seed 002's `streaming.start`: a session created earlier and not yet connected starts over WebRTC with the browser's SDP offer; the answer carries the server's SDP answer with its ICE candidates. The session's client secret is spent. A bad offer answers 422 `invalid_sdp`; a session already connected or ended answers 409. Requires scope `realtime:write`.",
      requestBody: { required: true, content: { "application/json": { schema: describedBodySchema(streamingStartInput, {}) } } },
      responses: {
        "200": {
          description: "Started: apply `sdp` with setRemoteDescription.",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { status: { type: "string", const: "started" }, session_id: { type: "string" }, sdp: { type: "object", properties: { type: { type: "string", const: "answer" }, sdp: { type: "string" } }, required: ["type", "sdp"] } },
                required: ["status", "session_id", "sdp"],
              },
            },
          },
        },
        "404": { $ref: "#/components/responses/NotFound" },
        "409": { description: "The session already connected, ended, or its secret expired.", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    },
  };
  doc.paths["/api/v1/realtime/sessions/{sessionId}/end"] = {
    parameters: [sessionIdParam],
    post: {
      tags,
      operationId: "endRealtimeSession",
      summary: "End a live session",
      description:
        "Ends the session wherever its socket is held: the socket gets `session.ended` (`ended_by_api`) within about a second. Idempotent: an ended session answers as it is. Requires scope `realtime:write`.",
      responses: { "200": { description: "The ended session", content: json("RealtimeSession") } },
    },
  };
}
