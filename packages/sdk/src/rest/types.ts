/**
 * Request and response types of the public API (/api/v1), written from the OpenAPI 3.1 contract's
 * components.schemas (same names). rest/contract.test.ts checks names and required fields against it.
 */

export type ApiKeyScope = "*" | "api_keys:write" | "credits:read" | "avatars:read" | "avatars:write" | "realtime:write" | "usage:read" | "usage:write";
export type AssetKind = "image" | "video" | "audio";

/** The error body of every non-2xx answer. */
export interface ApiErrorBody {
  error: string;
  status?: number;
  code?: string;
  retryable?: boolean;
  billingUrl?: string;
}

export interface CreateApiKeyRequest {
  name: string;
  environment?: "live" | "test";
  scopes?: ApiKeyScope[];
  spendLimitCreditMicros?: number | null;
  expiresAt?: string | null;
}

export interface ApiKey {
  id: string;
  keyId: string;
  tenantId: string;
  name: string;
  environment: "live" | "test";
  redactedKey: string;
  scopes: ApiKeyScope[];
  status: "active" | "revoked" | "expired";
  spendLimitCreditMicros?: number | null;
  createdAt: string;
  expiresAt?: string | null;
}

export interface CreateApiKeyResponse extends ApiKey {
  /** Full secret key, shown once. Keep it on your server. */
  apiKey: string;
}

export interface CreditBalance {
  tenantId: string;
  balanceCreditMicros: number;
  reservedCreditMicros: number;
  availableCreditMicros: number;
  lifetimeGrantedCreditMicros?: number;
  lifetimeUsedCreditMicros?: number;
  updatedAt: string;
}

export interface CreateAvatarRequest {
  displayName: string;
  sourceKind: "image" | "video";
  modelId?: string;
  sourceAssetId?: string;
  defaultVoiceId?: string;
  settings?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface UpdateAvatarRequest {
  displayName?: string;
  defaultVoiceId?: string | null;
  settings?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export type AvatarStatus = "draft" | "preprocessing" | "ready" | "failed" | "disabled" | "deleted";

export interface Avatar {
  id: string;
  tenantId: string;
  displayName: string;
  sourceKind: "image" | "video";
  modelId: string;
  sourceAssetId?: string | null;
  status: AvatarStatus;
  defaultVoiceId?: string | null;
  cacheManifestId?: string | null;
  cacheVersion?: number;
  createdAt: string;
  updatedAt: string;
}

export interface Asset {
  id: string;
  tenantId: string;
  kind: AssetKind;
  status: "pending_upload" | "uploaded" | "processing" | "ready" | "failed" | "deleted";
  contentType: string;
  sizeBytes: number;
  sha256?: string | null;
  publicUrl?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateRemoteAssetRequest {
  kind: AssetKind;
  remoteUrl: string;
  originalFilename?: string;
  metadata?: Record<string, unknown>;
}

export type SourceKind = "portrait" | "source_video";

export interface RealtimePrepareRequest {
  avatar_id: string;
  source_kind?: SourceKind;
  video_cache_id?: string | null;
  video_cache?: Record<string, unknown>;
}

export interface RealtimePrepareResponse {
  avatar_id: string;
  renderer_avatar_id?: string | null;
  model_id?: string;
  backend_id?: string;
  status?: "ready";
  registered?: boolean;
  source_kind?: SourceKind;
  /** Milliseconds per preparation step. */
  timings?: Record<string, number>;
  video_cache?: Record<string, unknown> | null;
}

export interface RealtimeChatMessage {
  role: "user" | "assistant" | "system";
  content: string;
}

export interface RealtimeTurnRequest {
  avatar_id: string;
  mode?: "chat" | "speak_text";
  messages?: RealtimeChatMessage[];
  text?: string | null;
  voice_id?: string | null;
  emotion?: string;
  language?: string;
  speed?: number;
  background_id?: string;
  source_kind?: SourceKind;
  video_cache_id?: string | null;
  low_latency_first_chunk?: boolean;
  playout_delay_ms?: number;
  max_buffer_delay_ms?: number;
  /**
   * Platform addition to the contract: "client" (default) streams motion records for the viewer's
   * GPU to draw; "server" adds JPEG video records (play them with CanvasVideoSink).
   */
  render?: "client" | "server";
}

export interface VideoCachePlanRequest {
  avatar_id: string;
  video_cache?: Record<string, unknown>;
}

export interface VideoCachePlanResponse {
  status: "queued" | "ready";
  plan?: unknown;
  manifest: Record<string, unknown>;
}

export interface LipsyncRequest {
  audioUrl: string;
  avatarId?: string;
  portraitUrl?: string;
  backgroundId?: string;
}

export interface LipsyncResponse {
  url: string;
  avatarId: string;
  frames: number;
  fps: number;
  durationSeconds: number;
}

export interface ListResponse<T> {
  data: T[];
}
