import "server-only";
import { z } from "zod";
import { turnDetectionSchema } from "@/core/realtime/session-events";
import { REALTIME_SESSION_STATUSES } from "@/server/db/schema";

// The REST edge of live sessions: the create body (seed 004's ThreadRealtimeStartParams, named as
// there, plus our fields), the list query, and the stored config.

const toolDefinition = z
  .object({
    type: z.literal("function"),
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1–64 letters, digits, _ or -"),
    description: z.string().max(1024).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const transport = z.union([
  z.object({ type: z.literal("websocket") }).strict(),
  z.object({ type: z.literal("webrtc"), sdp: z.string().min(1).max(64_000) }).strict(),
]);

export const MAX_SESSION_SECONDS = 4 * 60 * 60;

export const createSessionInput = z
  .object({
    // Seed 004 (ThreadRealtimeStartParams), as named there.
    outputModality: z.enum(["text", "audio"]),
    threadId: z.string().regex(/^thr_[0-9a-z]{20}$/, "a thread id (thr_…) from an earlier session").optional(),
    prompt: z.string().max(8000).nullable().optional(),
    sessionId: z.string().min(1).max(200).nullable().optional(),
    transport: transport.nullable().optional(),
    voice: z.string().min(1).max(100).nullable().optional(),
    // Ours.
    avatar_id: z.string().min(1).max(64),
    input: z.enum(["voice", "text"]).default("voice"),
    turn_detection: turnDetectionSchema.default({ type: "server_vad", threshold: 0.5, silence_duration_ms: 500, prefix_padding_ms: 300 }),
    language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP-47 language tag such as en or en-US").default("en"),
    render: z.enum(["client", "server"]).default("client"),
    video_format: z.enum(["mux", "fmp4"]).default("mux"),
    max_seconds: z.number().int().min(1).max(MAX_SESSION_SECONDS).default(1800),
    idle_timeout_s: z.number().int().min(1).max(3600).default(120),
    tools: z.array(toolDefinition).max(64).default([]),
    metadata: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type CreateSessionInput = z.infer<typeof createSessionInput>;

/** What realtime_sessions.config holds: the parsed body with the voice resolved to ours. */
export type StoredSessionConfig = {
  outputModality: "text" | "audio";
  prompt: string | null;
  transport: "websocket" | "webrtc";
  voice: string | null;
  requestedVoice: string | null;
  input: "voice" | "text";
  turn_detection: CreateSessionInput["turn_detection"];
  language: string;
  render: "client" | "server";
  /** Missing on sessions stored before it existed: "mux". */
  video_format?: "mux" | "fmp4";
  max_seconds: number;
  idle_timeout_s: number;
  tools: CreateSessionInput["tools"];
};

/** Seed 002's streaming.start body: a created session's id and the browser's SDP offer. */
export const streamingStartInput = z
  .object({
    session_id: z.string().regex(/^ses_[0-9a-z]{20}$/, "a session id (ses_…) from POST /api/v1/realtime/sessions"),
    sdp: z.object({ type: z.literal("offer"), sdp: z.string().min(1).max(64_000) }).strict(),
  })
  .strict();

export const listSessionsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
    status: z.enum(REALTIME_SESSION_STATUSES).optional(),
    avatar_id: z.string().max(64).optional(),
  })
  .strict();
export type ListSessionsQuery = z.infer<typeof listSessionsQuery>;
