import "server-only";
import { describedBodySchema, queryParameters } from "@/core/openapi/zod-schemas";
import { VIDEO_STATUSES } from "@/server/db/schema";
import { createVideoInput, listVideosQuery, VIDEO_EMOTIONS, VIDEO_LANGUAGES } from "./schemas";

// Text-to-video in the served OpenAPI document (server/http/openapi/extensions.ts). The create body
// comes from the zod schema the route parses with; the answers are written out here and checked
// against real answers by server/http/contract.int.test.ts.

type Json = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, unknown>>; components: Json & { schemas: Json; responses: Json } };

const DESCRIPTIONS: Record<string, string> = {
  text: "What the avatar says, spoken by the embedded TTS (espeak-ng). Exactly one of `text` and `audioUrl`.",
  audioUrl: "Your own speech: a public http(s) URL of an audio file (fetched with the same SSRF defences as remote assets; at most 120 s).",
  avatar: "A preset avatar's name (seed 001 `avatar`); an unknown name answers 422 `unknown_avatar` listing the presets. Exactly one of `avatar` and `avatar_id`.",
  avatar_id: "A ready avatar of your workspace.",
  emotion: "Seed 001's emotions; they shape the voice.",
  language: "Seed 001's 17 languages, each spoken by espeak-ng.",
  voice_id: "A voice of the embedded TTS (`espeak:de+f3`); default: the language's voice.",
  delayed: "Seed 001's delayed generation: answer at once with `status: \"delayed\"`; the first request to `html_url` or `mp4_url` renders the video and bills it.",
};

const createBodySchema = () => describedBodySchema(createVideoInput, DESCRIPTIONS);

const nullable = (type: string, extra: Json = {}) => ({ type: [type, "null"], ...extra });

const video = {
  type: "object",
  description: "Seed 001's inference answer. Credits are credit micros (1,000,000 = one realtime second).",
  properties: {
    id: { type: "string", pattern: "^vid_[0-9a-z]{20}$", description: "Unguessable: it is also the capability of the public URLs." },
    status: { type: "string", enum: ["success", ...VIDEO_STATUSES.filter((s) => s !== "ready")], description: "`success` (rendered), `delayed` (renders on first view), `rendering`." },
    stream: { type: "boolean", const: false },
    text: nullable("string"),
    audioUrl: nullable("string"),
    created_at: { type: "string", format: "date-time" },
    language: { type: "string", enum: [...VIDEO_LANGUAGES] },
    credits_consumed: { type: "integer", minimum: 0, description: "Credit micros billed: the seconds rendered; 0 until a delayed video is rendered." },
    avatar: { type: "string", description: "The preset's name, or the avatar id." },
    avatar_id: nullable("string"),
    emotion: { type: "string", enum: [...VIDEO_EMOTIONS] },
    voice_id: nullable("string"),
    file_size_bytes: nullable("integer"),
    inference_duration_ms: nullable("integer"),
    video_duration_seconds: nullable("number"),
    html_url: { type: "string", format: "uri", description: "Viewer page, public by link." },
    mp4_url: { type: "string", format: "uri", description: "The MP4 (byte ranges supported), public by link." },
    failure: { type: ["object", "null"], description: "Why the last render of a delayed video was refused (it stays delayed and may be retried)." },
  },
  required: ["id", "status", "text", "created_at", "language", "credits_consumed", "avatar", "emotion", "file_size_bytes", "inference_duration_ms", "video_duration_seconds", "html_url", "mp4_url"],
};

const list = {
  type: "object",
  properties: { data: { type: "array", items: { $ref: "#/components/schemas/Video" } }, next_cursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last page." } },
  required: ["data", "next_cursor"],
};

const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const videoIdParam = { name: "videoId", in: "path", required: true, schema: { type: "string", pattern: "^vid_" } };

const listParameters = () =>
  queryParameters(listVideosQuery, { limit: "Page size (1–100, default 20).", cursor: "`next_cursor` of the previous page." });

/** Adds the text-to-video operations and schemas to the served OpenAPI document. */
export function extendVideosDocument(doc: Doc): void {
  Object.assign(doc.components.schemas, { VideoCreateRequest: createBodySchema(), Video: video, VideoList: list });
  const tags = ["videos"];
  doc.paths["/api/v1/videos"] = {
    post: {
      tags,
      operationId: "createVideo",
      summary: "Make a talking-avatar video",
      description:
        "Seed 001's text-to-video: text (or your audio) spoken by a preset or workspace avatar, rendered to an H.264 + AAC MP4 and stored. Billed like a turn: the speech's length is reserved (402 before anything renders) and settled to the seconds rendered. `?stream=true` answers the fragmented MP4 (`video/mp4`, chunked) while it renders; the same bytes are stored. Requires scope `realtime:write`. See docs/videos.md.",
      parameters: [{ name: "stream", in: "query", required: false, schema: { type: "string", enum: ["true", "false"] }, description: "`true`: answer the MP4 bytes as they are rendered (not with `delayed`)." }],
      requestBody: { required: true, content: json("VideoCreateRequest") },
      responses: {
        "200": { description: "`?stream=true`: the fragmented MP4 as it renders; `X-Video-Id` names the stored video.", content: { "video/mp4": { schema: { type: "string", format: "binary" } } } },
        "201": { description: "Rendered and stored.", content: json("Video") },
        "202": { description: "`delayed: true`: recorded; renders on the first request to `html_url` or `mp4_url`.", content: json("Video") },
        "402": { $ref: "#/components/responses/PaymentRequired" },
        "404": { $ref: "#/components/responses/NotFound" },
      },
    },
    get: {
      tags,
      operationId: "listVideos",
      summary: "List videos",
      description: "Videos of the calling key's environment, newest first, in cursor pages. Requires scope `realtime:write`.",
      parameters: listParameters(),
      responses: { "200": { description: "A page of videos", content: json("VideoList") } },
    },
  };
  doc.paths["/api/v1/videos/{videoId}"] = {
    parameters: [videoIdParam],
    get: { tags, operationId: "getVideo", summary: "Get a video", description: "Another workspace's id answers 404. Requires scope `realtime:write`.", responses: { "200": { description: "The video", content: json("Video") } } },
    delete: {
      tags,
      operationId: "deleteVideo",
      summary: "Delete a video",
      description: "Removes the video and its file; its public URLs answer 404 from then on. Requires scope `realtime:write`.",
      responses: { "204": { description: "Deleted" } },
    },
  };
}
