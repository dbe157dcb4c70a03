import "server-only";
import type { ApiKeyScope } from "@/core/api-keys/scopes";

// The one table of public REST operations: every contract operation plus the ones we add
// (marked `extension`). apiRoute() reads the scope from here, the scope-matrix test iterates it,
// and the contract test checks it matches the OpenAPI document and that each route file exists.

export type RouteSpec = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** OpenAPI path template. */
  path: string;
  scope: ApiKeyScope;
  /** Mutating call that must answer 409 on any Idempotency-Key reuse (instead of replaying). */
  idempotencyReuseConflicts?: boolean;
  /** Field of the success answer holding a secret shown once: never stored, so a reused Idempotency-Key answers 409 instead of replaying. */
  secretField?: string;
  /** Not in the seed contract; documented by server/http/openapi/extensions.ts. */
  extension?: boolean;
  /** Callable from a web page with a publishable key (CORS, origin check: server/http/publishable-edge.ts). */
  browser?: boolean;
};

export const ROUTES = {
  listAvatars: { method: "GET", path: "/api/v1/avatars", scope: "avatars:read" },
  createAvatar: { method: "POST", path: "/api/v1/avatars", scope: "avatars:write" },
  getAvatar: { method: "GET", path: "/api/v1/avatars/{avatarId}", scope: "avatars:read" },
  updateAvatar: { method: "PATCH", path: "/api/v1/avatars/{avatarId}", scope: "avatars:write" },
  deleteAvatar: { method: "DELETE", path: "/api/v1/avatars/{avatarId}", scope: "avatars:write" },
  // The embeddable widget's audio mode (docs/widget.md): the rig and portrait a browser draws the avatar with;
  // a page may read it with a publishable key, for the avatars the key names.
  getAvatarRenderAssets: { method: "GET", path: "/api/v1/avatars/{avatarId}/render-assets", scope: "avatars:read", extension: true, browser: true },
  listAssets: { method: "GET", path: "/api/v1/assets", scope: "avatars:read" },
  uploadAsset: { method: "POST", path: "/api/v1/assets", scope: "avatars:write" },
  createRemoteAsset: { method: "POST", path: "/api/v1/assets/remote", scope: "avatars:write" },
  prepareRealtime: { method: "POST", path: "/api/v1/realtime/prepare", scope: "realtime:write" },
  realtimeTurn: { method: "POST", path: "/api/v1/realtime/turn", scope: "realtime:write", idempotencyReuseConflicts: true },
  planVideoCache: { method: "POST", path: "/api/v1/realtime/video-cache/plan", scope: "avatars:write" },
  getCreditBalance: { method: "GET", path: "/api/v1/credits/balance", scope: "credits:read" },
  createApiKey: { method: "POST", path: "/api/v1/api-keys", scope: "api_keys:write", secretField: "apiKey" },
  lipsync: { method: "POST", path: "/api/v1/lipsync", scope: "realtime:write" },
  listApiKeys: { method: "GET", path: "/api/v1/api-keys", scope: "api_keys:write", extension: true },
  revokeApiKey: { method: "DELETE", path: "/api/v1/api-keys/{keyId}", scope: "api_keys:write", extension: true },
  listUsage: { method: "GET", path: "/api/v1/usage", scope: "usage:read", extension: true },
  // Live sessions (docs/realtime-sessions.md): the client secret of a create is shown once, never replayed.
  // One of the two operations a publishable key may call, from a page (docs/security.md).
  createRealtimeSession: { method: "POST", path: "/api/v1/realtime/sessions", scope: "realtime:write", secretField: "client_secret", extension: true, browser: true },
  listRealtimeSessions: { method: "GET", path: "/api/v1/realtime/sessions", scope: "realtime:write", extension: true },
  getRealtimeSession: { method: "GET", path: "/api/v1/realtime/sessions/{sessionId}", scope: "realtime:write", extension: true },
  endRealtimeSession: { method: "POST", path: "/api/v1/realtime/sessions/{sessionId}/end", scope: "realtime:write", extension: true },
  // Text-to-video (docs/videos.md): seed 001's POST /inference as a resource.
  createVideo: { method: "POST", path: "/api/v1/videos", scope: "realtime:write", extension: true },
  listVideos: { method: "GET", path: "/api/v1/videos", scope: "realtime:write", extension: true },
  getVideo: { method: "GET", path: "/api/v1/videos/{videoId}", scope: "realtime:write", extension: true },
  deleteVideo: { method: "DELETE", path: "/api/v1/videos/{videoId}", scope: "realtime:write", extension: true },
  // Seed 002's alias: a created session starts over WebRTC with an SDP offer.
  startRealtimeStreaming: { method: "POST", path: "/api/v1/realtime/streaming.start", scope: "realtime:write", extension: true },
} as const satisfies Record<string, RouteSpec>;

export type OperationId = keyof typeof ROUTES;

/** Route spec of an operation id (typed, so a typo fails the build). */
export function routeSpec(operationId: OperationId): RouteSpec {
  return ROUTES[operationId];
}

/** The app/ route file that serves a path template: `{avatarId}` becomes `[avatarId]`. */
export function routeFileFor(path: string): string {
  return `app${path.replace(/\{(\w+)\}/g, "[$1]")}/route.ts`;
}
