/**
 * Request and response types of the public API (/api/v1) under the SDK's public names. They are
 * the contract's own: contract.generated.ts is generated from the OpenAPI 3.1 document (schemas
 * keep their names), and rest/contract.test.ts fails when it drifts from it. Only the platform's
 * additions are written here.
 */
import type { Avatar, RealtimePrepareRequest, RealtimeTurnRequest as ContractTurnRequest, operations } from "./contract.generated";

export type {
  ApiKey,
  ApiKeyScope,
  Asset,
  AssetKind,
  Avatar,
  CreateApiKeyRequest,
  /** `apiKey` is the full secret key, shown once. Keep it on your server. */
  CreateApiKeyResponse,
  CreateAvatarRequest,
  CreateRemoteAssetRequest,
  CreditBalance,
  /** The error body of every non-2xx answer. */
  Error as ApiErrorBody,
  LipsyncRequest,
  LipsyncResponse,
  RealtimeChatMessage,
  RealtimePrepareRequest,
  /** `timings`: milliseconds per preparation step. */
  RealtimePrepareResponse,
  /** A live session as listed and as `end` answers it. */
  RealtimeSession,
  /** `client_secret.value` opens the session's socket once; give it (and `url`) to the browser, never your key. */
  RealtimeSessionCreated,
  RealtimeSessionCreateRequest,
  /** A session with its transcript. */
  RealtimeSessionDetail,
  RealtimeSessionList,
  UpdateAvatarRequest,
  /** A text-to-video render (docs/videos.md); `credits_consumed` in credit micros. */
  Video,
  VideoCreateRequest,
  VideoList,
} from "./contract.generated";

type JsonBody<R> = R extends { content: { "application/json": infer B } } ? B : never;

export type AvatarStatus = Avatar["status"];
export type SourceKind = NonNullable<RealtimePrepareRequest["source_kind"]>;

export type RealtimeTurnRequest = ContractTurnRequest & {
  /**
   * Platform addition to the contract: "client" (default) streams motion records for the viewer's
   * GPU to draw; "server" adds JPEG video records (play them with CanvasVideoSink).
   */
  render?: "client" | "server";
};

export type ListRealtimeSessionsQuery = NonNullable<operations["listRealtimeSessions"]["parameters"]["query"]>;

export type ListVideosQuery = NonNullable<operations["listVideos"]["parameters"]["query"]>;

export type VideoCachePlanRequest = JsonBody<operations["planVideoCache"]["requestBody"]>;
export type VideoCachePlanResponse = JsonBody<operations["planVideoCache"]["responses"][200]>;

/** The envelope of every list operation (listAvatars, listAssets). */
export interface ListResponse<T> {
  data: T[];
}
