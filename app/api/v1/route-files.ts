import type { RouteFiles } from "@/server/http/api-dispatch";
import { unknownPath } from "@/server/http/unrouted";
import * as apiKey from "./api-keys/[keyId]/route";
import * as apiKeys from "./api-keys/route";
import * as remoteAssets from "./assets/remote/route";
import * as assets from "./assets/route";
import * as avatarRenderAssets from "./avatars/[avatarId]/render-assets/route";
import * as avatar from "./avatars/[avatarId]/route";
import * as avatars from "./avatars/route";
import * as creditBalance from "./credits/balance/route";
import * as lipsync from "./lipsync/route";
import * as realtimePrepare from "./realtime/prepare/route";
import * as realtimeSessionEnd from "./realtime/sessions/[sessionId]/end/route";
import * as realtimeSession from "./realtime/sessions/[sessionId]/route";
import * as realtimeSessionSocket from "./realtime/sessions/[sessionId]/socket/route";
import * as realtimeSessions from "./realtime/sessions/route";
import * as realtimeStreamingStart from "./realtime/streaming.start/route";
import * as realtimeTurn from "./realtime/turn/route";
import * as videoCachePlan from "./realtime/video-cache/plan/route";
import * as usage from "./usage/route";
import * as video from "./videos/[videoId]/route";
import * as videos from "./videos/route";

/** Routes outside the REST contract: a live session's socket path (its protocol is /asyncapi.json), whose plain requests answer 426. */
export const NON_CONTRACT_PATHS = ["/api/v1/realtime/sessions/{sessionId}/socket"];

// Every /api/v1 route file by its OpenAPI path (and NON_CONTRACT_PATHS): the table the production server's fast path
// (server/http/api-dispatch.ts, registered by instrumentation.ts) serves from. A test keeps it equal
// to the route table and to the route files on disk.
export const V1_ROUTE_FILES: RouteFiles = {
  routes: {
    "/api/v1/api-keys": apiKeys,
    "/api/v1/api-keys/{keyId}": apiKey,
    "/api/v1/assets": assets,
    "/api/v1/assets/remote": remoteAssets,
    "/api/v1/avatars": avatars,
    "/api/v1/avatars/{avatarId}": avatar,
    "/api/v1/avatars/{avatarId}/render-assets": avatarRenderAssets,
    "/api/v1/credits/balance": creditBalance,
    "/api/v1/lipsync": lipsync,
    "/api/v1/realtime/prepare": realtimePrepare,
    "/api/v1/realtime/sessions": realtimeSessions,
    "/api/v1/realtime/sessions/{sessionId}": realtimeSession,
    "/api/v1/realtime/sessions/{sessionId}/end": realtimeSessionEnd,
    "/api/v1/realtime/sessions/{sessionId}/socket": realtimeSessionSocket,
    "/api/v1/realtime/streaming.start": realtimeStreamingStart,
    "/api/v1/realtime/turn": realtimeTurn,
    "/api/v1/realtime/video-cache/plan": videoCachePlan,
    "/api/v1/usage": usage,
    "/api/v1/videos": videos,
    "/api/v1/videos/{videoId}": video,
  },
  unknownPath,
};
