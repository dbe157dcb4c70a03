/**
 * Request and response types of the public API (/api/v1) under the SDK's public names. They are
 * the contract's own: contract.generated.ts is generated from the OpenAPI 3.1 document, and
 * rest/contract.test.ts fails when it drifts from it. Only the platform's additions are written here.
 */
import type { components, operations } from "./contract.generated";

type Schemas = components["schemas"];
type JsonBody<R> = R extends { content: { "application/json": infer B } } ? B : never;

export type ApiKeyScope = Schemas["ApiKeyScope"];
export type AssetKind = Schemas["AssetKind"];
/** The error body of every non-2xx answer. */
export type ApiErrorBody = Schemas["Error"];

export type CreateApiKeyRequest = Schemas["CreateApiKeyRequest"];
export type ApiKey = Schemas["ApiKey"];
/** `apiKey` is the full secret key, shown once. Keep it on your server. */
export type CreateApiKeyResponse = Schemas["CreateApiKeyResponse"];
export type CreditBalance = Schemas["CreditBalance"];

export type CreateAvatarRequest = Schemas["CreateAvatarRequest"];
export type UpdateAvatarRequest = Schemas["UpdateAvatarRequest"];
export type Avatar = Schemas["Avatar"];
export type AvatarStatus = Avatar["status"];

export type Asset = Schemas["Asset"];
export type CreateRemoteAssetRequest = Schemas["CreateRemoteAssetRequest"];

export type SourceKind = NonNullable<Schemas["RealtimePrepareRequest"]["source_kind"]>;
export type RealtimePrepareRequest = Schemas["RealtimePrepareRequest"];
/** `timings`: milliseconds per preparation step. */
export type RealtimePrepareResponse = Schemas["RealtimePrepareResponse"];
export type RealtimeChatMessage = Schemas["RealtimeChatMessage"];

export type RealtimeTurnRequest = Schemas["RealtimeTurnRequest"] & {
  /**
   * Platform addition to the contract: "client" (default) streams motion records for the viewer's
   * GPU to draw; "server" adds JPEG video records (play them with CanvasVideoSink).
   */
  render?: "client" | "server";
};

export type VideoCachePlanRequest = JsonBody<operations["planVideoCache"]["requestBody"]>;
export type VideoCachePlanResponse = JsonBody<operations["planVideoCache"]["responses"][200]>;

export type LipsyncRequest = Schemas["LipsyncRequest"];
export type LipsyncResponse = Schemas["LipsyncResponse"];

/** The envelope of every list operation (listAvatars, listAssets). */
export interface ListResponse<T> {
  data: T[];
}
