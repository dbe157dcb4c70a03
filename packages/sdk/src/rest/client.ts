import { isBrowserLike } from "../env";
import { readAvatarMux, type AvatarMuxEvent } from "../read-avatar-mux";
import { apiErrorFrom, TicSdkError } from "./errors";
import type * as T from "./types";

export const DEFAULT_BASE_URL = "https://realtimeavatar.ai";
const SECRET_KEY = /^tic_(live|test)_/;

export interface TicAvatarClientOptions {
  /** `tic_live_…` / `tic_test_…`. A secret: use this client on your server, never in a browser bundle. */
  apiKey?: string;
  /** Origin of the platform (the client appends /api/v1/…). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /**
   * Allow a secret key in a browser or worker. Anyone who opens the page can read it and spend your
   * credits; only for local tools you alone run.
   */
  dangerouslyAllowBrowser?: boolean;
  /** Extra headers on every request (e.g. tracing). */
  headers?: Record<string, string>;
}

export interface TurnOptions {
  /** Makes a retried turn safe: reusing the key answers 409 and charges nothing twice. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** A streaming turn: the raw mux body (to pipe to a browser) or its decoded events (not both). */
export interface TurnStream {
  response: Response;
  body: ReadableStream<Uint8Array>;
  events(): AsyncGenerator<AvatarMuxEvent, void, undefined>;
}

/**
 * Typed client for /api/v1 — a server-side client. In a browser it refuses secret keys unless
 * `dangerouslyAllowBrowser` is set; browsers should get a mux stream from your server and play it
 * with AvatarPlayer, which needs no key.
 */
export class TicAvatarClient {
  private readonly apiKey: string | undefined;
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly extraHeaders: Record<string, string>;

  constructor(options: TicAvatarClientOptions = {}) {
    const { apiKey } = options;
    if (apiKey && SECRET_KEY.test(apiKey) && isBrowserLike() && !options.dangerouslyAllowBrowser) {
      throw new TicSdkError(
        "browser_secret_key",
        "TicAvatarClient got a secret API key in a browser. Call the API from your server and send the browser only the mux stream (play it with AvatarPlayer). Pass dangerouslyAllowBrowser: true only for tools you alone run.",
      );
    }
    let base: URL;
    try {
      base = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
    } catch (cause) {
      throw new TicSdkError("invalid_base_url", `baseUrl ${String(options.baseUrl)} is not an absolute URL`, { cause });
    }
    this.apiKey = apiKey;
    this.base = base.href.replace(/\/+$/, "");
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.extraHeaders = options.headers ?? {};
  }

  readonly avatars = {
    list: () => this.json<T.ListResponse<T.Avatar>>("GET", "/avatars"),
    get: (avatarId: string) => this.json<T.Avatar>("GET", `/avatars/${enc(avatarId)}`),
    create: (body: T.CreateAvatarRequest) => this.json<T.Avatar>("POST", "/avatars", body),
    update: (avatarId: string, body: T.UpdateAvatarRequest) => this.json<T.Avatar>("PATCH", `/avatars/${enc(avatarId)}`, body),
    delete: (avatarId: string) => this.json<void>("DELETE", `/avatars/${enc(avatarId)}`),
  };

  readonly assets = {
    list: () => this.json<T.ListResponse<T.Asset>>("GET", "/assets"),
    /** Multipart upload of an image/video/audio file. */
    upload: (file: Blob, opts: { kind?: T.AssetKind; filename?: string } = {}) => {
      const form = new FormData();
      form.set("file", file, opts.filename ?? "upload");
      if (opts.kind) form.set("kind", opts.kind);
      return this.json<T.Asset>("POST", "/assets", form);
    },
    createRemote: (body: T.CreateRemoteAssetRequest) => this.json<T.Asset>("POST", "/assets/remote", body),
  };

  readonly realtime = {
    prepare: (body: T.RealtimePrepareRequest) => this.json<T.RealtimePrepareResponse>("POST", "/realtime/prepare", body),
    /** Starts a turn; resolves once the stream's headers arrived (402/409/… reject here, before any byte). */
    turn: async (body: T.RealtimeTurnRequest, opts: TurnOptions = {}): Promise<TurnStream> => {
      const headers: Record<string, string> = { accept: "application/x-avatar-mux" };
      if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
      const response = await this.request("POST", "/realtime/turn", body, headers, opts.signal);
      if (!response.body) throw new TicSdkError("bad_response", "turn answered without a body");
      const stream = response.body;
      return { response, body: stream, events: () => readAvatarMux(stream) };
    },
    planVideoCache: (body: T.VideoCachePlanRequest) => this.json<T.VideoCachePlanResponse>("POST", "/realtime/video-cache/plan", body),
  };

  /**
   * Live sessions (docs/realtime-sessions.md): create one on your server, hand the browser only its
   * `url` and `client_secret` (it connects with the secret, never your key), list, read and end them.
   */
  readonly sessions = {
    create: (body: T.RealtimeSessionCreateRequest, opts: { idempotencyKey?: string } = {}) =>
      this.json<T.RealtimeSessionCreated>("POST", "/realtime/sessions", body, opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {}),
    list: (query: T.ListRealtimeSessionsQuery = {}) => this.json<T.RealtimeSessionList>("GET", `/realtime/sessions${queryString(query)}`),
    get: (sessionId: string) => this.json<T.RealtimeSessionDetail>("GET", `/realtime/sessions/${enc(sessionId)}`),
    /** Idempotent: an ended session answers as it is. */
    end: (sessionId: string) => this.json<T.RealtimeSession>("POST", `/realtime/sessions/${enc(sessionId)}/end`),
  };

  /**
   * Text-to-video (docs/videos.md): `create` answers the stored video (or, with `delayed: true`, one
   * that renders on its first view); `stream` answers the fragmented MP4 as it renders (402/422
   * reject before any byte; `X-Video-Id` on the response names the video).
   */
  readonly videos = {
    create: (body: T.VideoCreateRequest, opts: { idempotencyKey?: string } = {}) =>
      this.json<T.Video>("POST", "/videos", body, opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {}),
    stream: async (body: T.VideoCreateRequest, opts: { signal?: AbortSignal } = {}): Promise<{ response: Response; videoId: string | null; body: ReadableStream<Uint8Array> }> => {
      const response = await this.request("POST", "/videos?stream=true", body, { accept: "video/mp4" }, opts.signal);
      if (!response.body) throw new TicSdkError("bad_response", "the video stream answered without a body");
      return { response, videoId: response.headers.get("x-video-id"), body: response.body };
    },
    list: (query: T.ListVideosQuery = {}) => this.json<T.VideoList>("GET", `/videos${queryString(query)}`),
    get: (videoId: string) => this.json<T.Video>("GET", `/videos/${enc(videoId)}`),
    delete: (videoId: string) => this.json<void>("DELETE", `/videos/${enc(videoId)}`),
  };

  readonly credits = {
    balance: () => this.json<T.CreditBalance>("GET", "/credits/balance"),
  };

  readonly apiKeys = {
    create: (body: T.CreateApiKeyRequest) => this.json<T.CreateApiKeyResponse>("POST", "/api-keys", body),
  };

  /** Non-streaming lipsync: audio URL + avatar → MP4 URL. */
  lipsync(body: T.LipsyncRequest): Promise<T.LipsyncResponse> {
    return this.json<T.LipsyncResponse>("POST", "/lipsync", body);
  }

  private async json<R>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<R> {
    const res = await this.request(method, path, body, { ...headers, accept: "application/json" });
    if (res.status === 204) return undefined as R;
    try {
      return (await res.json()) as R;
    } catch (cause) {
      throw new TicSdkError("bad_response", `${method} ${path} answered ${res.status} with a body that is not JSON`, { cause });
    }
  }

  private async request(method: string, path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    if (!this.apiKey) throw new TicSdkError("missing_api_key", "pass apiKey (a tic_live_/tic_test_ key) to TicAvatarClient");
    const h: Record<string, string> = { ...this.extraHeaders, ...headers, authorization: `Bearer ${this.apiKey}` };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h["content-type"] = "application/json";
    }
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}/api/v1${path}`, { method, headers: h, body: payload, signal });
    } catch (cause) {
      if ((cause as { name?: string })?.name === "AbortError") throw cause;
      throw new TicSdkError("network_error", `${method} /api/v1${path} failed: ${String((cause as Error)?.message ?? cause)}`, { cause });
    }
    if (!res.ok) throw await apiErrorFrom(res);
    return res;
  }
}

function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : "";
}

function enc(id: string): string {
  return encodeURIComponent(id);
}
