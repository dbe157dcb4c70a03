/**
 * realtime-avatar — read the avatar mux, play turns and live sessions in the browser, call /api/v1 from servers.
 * The REST client takes a secret API key: use it server-side only. The player needs only a stream.
 */
export { readAvatarMux, type AvatarMuxEvent } from "./read-avatar-mux";
export {
  MuxError,
  MUX_CONTENT_TYPE,
  MUX_ERROR_CODES,
  isMuxError,
  type MuxErrorCode,
  type MuxRecord,
  type MuxSource,
  type HeaderRecord,
  type TextDeltaRecord,
  type AudioRecord,
  type MotionRecord,
  type VideoRecord,
  type StateRecord,
  type UsageRecord,
  type ErrorRecord,
  type EndRecord,
  type AncillaryRecord,
  type MuxMouthParams,
  type MuxFace,
  type AvatarState,
} from "../../../core/mux";
export { AvatarPlayer, type AvatarPlayerOptions, type PlayerStats, type PlaybackResult } from "./player/avatar-player";
export { CanvasVideoSink, type FrameSink, type DecodedVideoFrame, type RenderTier } from "./player/frame-sink";
export type { PlayerAudioContext, FrameScheduler } from "./player/audio-types";
export { i420ToRgba, pcm16ToFloat32 } from "./player/pcm";
export { RealtimeSession, type RealtimeSessionOptions, type RealtimeTransport, type SessionSocket, type SessionSocketCtor, type ToolHandler } from "./realtime/realtime-session";
export type { StartSession, StartedSession } from "./realtime/peer-channel";
export type { RealtimeSessionEvents } from "./realtime/session-emitter";
export { createPcmResampler, type PcmResampler } from "./realtime/resampler";
export type { SessionStatus, ServerEvent, ClientEvent } from "../../../core/realtime/session-events";
export { verifyWebhook, type WebhookEvent, type VerifyWebhookOptions } from "./webhooks/verify-webhook";
export { TicAvatarClient, DEFAULT_BASE_URL, type TicAvatarClientOptions, type TurnOptions, type TurnStream } from "./rest/client";
export { TicApiError, TicSdkError, type SdkErrorCode } from "./rest/errors";
export {
  createSessionRoute,
  createSessionMiddleware,
  refuseSession,
  SessionRouteRefusal,
  type SessionRouteOptions,
  type SessionRouteAnswer,
  type SessionRouteErrorBody,
  type NodeLikeRequest,
  type NodeLikeResponse,
} from "./server/session-route";
export type * from "./rest/types";
