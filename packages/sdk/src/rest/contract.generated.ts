// Generated from the served OpenAPI document (server/http/openapi/extensions.ts) by packages/sdk/scripts/generate-rest-types.ts.
// Do not edit: run `npm run generate:types -w realtime-avatar` (src/rest/contract.test.ts checks it).

export interface paths {
    "/api/v1/avatars": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List avatars
         * @description List all avatars in your tenant. Requires scope `avatars:read`.
         */
        get: operations["listAvatars"];
        put?: never;
        /**
         * Create an avatar
         * @description Create an avatar record from an uploaded asset (see `POST /api/v1/assets` or `POST /api/v1/assets/remote`). Requires scope `avatars:write`.
         */
        post: operations["createAvatar"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/avatars/{avatarId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Platform avatar id (starts with `ava_`). */
                avatarId: string;
            };
            cookie?: never;
        };
        /**
         * Get avatar
         * @description Fetch one avatar including readiness status. Requires scope `avatars:read`.
         */
        get: operations["getAvatar"];
        put?: never;
        post?: never;
        /**
         * Delete avatar
         * @description Soft-delete an avatar. Requires scope `avatars:write`.
         */
        delete: operations["deleteAvatar"];
        options?: never;
        head?: never;
        /**
         * Update avatar
         * @description Update display name, default voice, settings, or metadata. Requires scope `avatars:write`.
         */
        patch: operations["updateAvatar"];
        trace?: never;
    };
    "/api/v1/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List assets
         * @description List uploaded assets in your tenant. Requires scope `avatars:read`.
         */
        get: operations["listAssets"];
        put?: never;
        /**
         * Upload an asset
         * @description Upload an image/video/audio file as multipart form data under the `file` field, with optional `kind` (`image` | `video` | `audio`). Requires scope `avatars:write`.
         */
        post: operations["uploadAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assets/remote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ingest an asset from a URL
         * @description Fetch a remote image/video/audio URL into tenant asset storage. Requires scope `avatars:write`.
         */
        post: operations["createRemoteAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/realtime/prepare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Prepare an avatar for realtime
         * @description Warm or register the avatar cache so the first realtime turn starts fast. Call this once before a session. Requires scope `realtime:write`.
         */
        post: operations["prepareRealtime"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/realtime/turn": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stream a realtime avatar turn
         * @description Run one conversational turn and stream back an audio-clocked binary avatar mux (interleaved audio + video frames; decode with `readAvatarMux` from the `realtime-avatar` SDK). Reserves estimated credits up front and settles to actual usage after the stream ends; settlement never exceeds the reservation. Send an `Idempotency-Key` header to make retries safe — reusing a key returns 409. Requires scope `realtime:write`.
         */
        post: operations["realtimeTurn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/realtime/video-cache/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Plan source-video cache generation
         * @description For source-video avatars: compute (and persist) the video cache generation plan. Requires scope `avatars:write`.
         */
        post: operations["planVideoCache"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/credits/balance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get credit balance
         * @description Current credit wallet: available, reserved, and lifetime totals. 1 realtime second = 1,000,000 credit micros. Requires scope `credits:read`.
         */
        get: operations["getCreditBalance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description Keys of your tenant, redacted (the secret is never retrievable): a test key lists only test keys, a live key every key. Requires scope `api_keys:write`.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Mint a new scoped API key for your tenant. The full key (`tic_live_...` or `tic_test_...`) is returned once and never stored. Requires scope `api_keys:write`.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lipsync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Render audio to a talking-head video (non-streaming)
         * @description Non-streaming lipsync: download `audioUrl`, render the full clip in one pass, store the MP4, and return its public URL. No LLM, no TTS, no streaming — ideal for backend and batch jobs. Provide either `avatarId` (an avatar you created) or `portraitUrl` (registered on the fly). Bills realtime seconds like a turn. Requires scope `realtime:write`.
         */
        post: operations["lipsync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Revokes a key at once; further calls with it answer 401. A test key cannot revoke a live key (404, as for another tenant's key). Requires scope `api_keys:write`.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/avatars/{avatarId}/render-assets": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                avatarId: string;
            };
            cookie?: never;
        };
        /**
         * An avatar's render assets
         * @description The prepared rig and the portrait URL a browser draws the avatar with (the widget's audio mode, which lipsyncs audio in the browser without a session). Read it on your server and hand it to the page. A not-ready avatar answers 409. Requires scope `avatars:read`. With a publishable key (from a page, whatever its scopes): the `Origin` must be one of the key's allowed origins (else 403 `origin_not_allowed`), the avatar one it names (else 403 `avatar_not_allowed`); reads are limited per key and origin (429 with Retry-After). The 200 carries `Access-Control-Allow-Origin` for that origin only.
         */
        get: operations["getAvatarRenderAssets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Usage per day
         * @description Settled realtime usage of the calling key's environment per UTC day. Requires scope `usage:read`.
         */
        get: operations["listUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/realtime/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List live sessions
         * @description Sessions of the calling key's environment, newest first, in cursor pages. Requires scope `realtime:write`.
         */
        get: operations["listRealtimeSessions"];
        put?: never;
        /**
         * Start a live session
         * @description Starts a live conversation with an avatar over one WebSocket (protocol: docs/realtime-sessions.md, /asyncapi.json), or over WebRTC with `transport: {type: "webrtc", sdp}` (the 201's `transport.sdp` is the answer; a bad offer answers 422 `invalid_sdp`). Call it from your server with your API key; give the browser only `url` and `client_secret`. A workspace holds at most its plan's number of live sessions at once: beyond it 429 `session_limit_reached` with Retry-After. Only the avatar's speech is billed. Requires scope `realtime:write`. With a publishable key (from a page): the `Origin` must be one of the key's allowed origins (else 403 `origin_not_allowed`), the avatar one it names (else 403 `avatar_not_allowed`); only the page's fields are taken (`prompt`, `tools`, `threadId`, `metadata`, `sessionId` answer 403 `field_not_allowed`), `max_seconds` is cut to 900 and `idle_timeout_s` to 120; session creates are limited per key and origin (429 with Retry-After). The 201 carries `Access-Control-Allow-Origin` for that origin only.
         */
        post: operations["createRealtimeSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/realtime/sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        /**
         * Get a live session
         * @description One session with its settings and transcript. Another workspace's id answers 404. Requires scope `realtime:write`.
         */
        get: operations["getRealtimeSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/realtime/streaming.start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a created session over WebRTC (seed 002)
         * @description Seed 002's `streaming.start`: a session created earlier and not yet connected starts over WebRTC with the browser's SDP offer; the answer carries the server's SDP answer with its ICE candidates. The session's client secret is spent. A bad offer answers 422 `invalid_sdp`; a session already connected or ended answers 409. Requires scope `realtime:write`.
         */
        post: operations["startRealtimeStreaming"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/realtime/sessions/{sessionId}/end": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End a live session
         * @description Ends the session wherever its socket is held: the socket gets `session.ended` (`ended_by_api`) within about a second. Idempotent: an ended session answers as it is. Requires scope `realtime:write`.
         */
        post: operations["endRealtimeSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/videos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List videos
         * @description Videos of the calling key's environment, newest first, in cursor pages. Requires scope `realtime:write`.
         */
        get: operations["listVideos"];
        put?: never;
        /**
         * Make a talking-avatar video
         * @description Seed 001's text-to-video: text (or your audio) spoken by a preset or workspace avatar, rendered to an H.264 + AAC MP4 and stored. Billed like a turn: the speech's length is reserved (402 before anything renders) and settled to the seconds rendered. `?stream=true` answers the fragmented MP4 (`video/mp4`, chunked) while it renders; the same bytes are stored. Requires scope `realtime:write`. See docs/videos.md.
         */
        post: operations["createVideo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/videos/{videoId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                videoId: string;
            };
            cookie?: never;
        };
        /**
         * Get a video
         * @description Another workspace's id answers 404. Requires scope `realtime:write`.
         */
        get: operations["getVideo"];
        put?: never;
        post?: never;
        /**
         * Delete a video
         * @description Removes the video and its file; its public URLs answer 404 from then on. Requires scope `realtime:write`.
         */
        delete: operations["deleteVideo"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            /** @description Human- and agent-readable description of what went wrong and what to do next. */
            error: string;
            /** @description HTTP status code repeated for clients that only inspect JSON bodies. */
            status?: number;
            /** @description Stable machine-readable error code when available, such as insufficient_credits or spend_limit_exceeded. */
            code?: string;
            /** @description Whether retrying the same request without user action is expected to help. */
            retryable?: boolean;
            /** @description Relative billing URL for 402 errors that require a top-up, card, or plan upgrade. */
            billingUrl?: string;
        };
        /** @enum {string} */
        ApiKeyScope: "*" | "api_keys:write" | "credits:read" | "avatars:read" | "avatars:write" | "realtime:write" | "usage:read" | "usage:write";
        /** @enum {string} */
        AssetKind: "image" | "video" | "audio";
        CreateApiKeyRequest: {
            name: string;
            /**
             * @default test
             * @enum {string}
             */
            environment?: "live" | "test";
            /**
             * @default [
             *       "realtime:write",
             *       "credits:read",
             *       "avatars:read"
             *     ]
             */
            scopes?: components["schemas"]["ApiKeyScope"][];
            /** @description Optional hard spend cap for this key, in credit micros. */
            spendLimitCreditMicros?: number | null;
            /** Format: date-time */
            expiresAt?: string | null;
        };
        ApiKey: {
            id: string;
            keyId: string;
            tenantId: string;
            name: string;
            /** @enum {string} */
            environment: "live" | "test";
            redactedKey: string;
            scopes: components["schemas"]["ApiKeyScope"][];
            /** @enum {string} */
            status: "active" | "revoked" | "expired";
            spendLimitCreditMicros?: number | null;
            createdAt: string;
            expiresAt?: string | null;
            /**
             * @description `publishable`: a page's key (tic_pub_…), made in the dashboard.
             * @enum {string}
             */
            kind?: "secret" | "publishable";
            /** @description A publishable key's origins (scheme://host[:port], or https://*.domain); empty for a secret key. */
            allowedOrigins?: string[];
            /** @description The avatars a publishable key may start sessions for; empty for a secret key. */
            avatarIds?: string[];
        };
        CreateApiKeyResponse: components["schemas"]["ApiKey"] & {
            /** @description Full secret key (`tic_live_...` / `tic_test_...`). Shown once; store it now. */
            apiKey: string;
        };
        CreditBalance: {
            tenantId: string;
            balanceCreditMicros: number;
            reservedCreditMicros: number;
            /** @description balance minus reserved; what new turns can spend. 1,000,000 micros = 1 realtime second. */
            availableCreditMicros: number;
            lifetimeGrantedCreditMicros?: number;
            lifetimeUsedCreditMicros?: number;
            updatedAt: string;
        };
        CreateAvatarRequest: {
            displayName: string;
            /** @enum {string} */
            sourceKind: "image" | "video";
            /** @description Avatar model id; defaults to the platform default model. */
            modelId?: string;
            /** @description Asset id from POST /api/v1/assets or /api/v1/assets/remote. */
            sourceAssetId?: string;
            defaultVoiceId?: string;
            settings?: Record<string, unknown>;
            metadata?: Record<string, unknown>;
        };
        /** @description Provide at least one field. */
        UpdateAvatarRequest: {
            displayName?: string;
            defaultVoiceId?: string | null;
            settings?: Record<string, unknown>;
            metadata?: Record<string, unknown>;
        };
        Avatar: {
            /** @description Platform avatar id (`ava_...`). Use this in realtime prepare/turn calls. */
            id: string;
            tenantId: string;
            displayName: string;
            /** @enum {string} */
            sourceKind: "image" | "video";
            modelId: string;
            sourceAssetId?: string | null;
            /** @enum {string} */
            status: "draft" | "preprocessing" | "ready" | "failed" | "disabled" | "deleted";
            defaultVoiceId?: string | null;
            cacheManifestId?: string | null;
            cacheVersion?: number;
            createdAt: string;
            updatedAt: string;
        };
        Asset: {
            id: string;
            tenantId: string;
            kind: components["schemas"]["AssetKind"];
            /** @enum {string} */
            status: "pending_upload" | "uploaded" | "processing" | "ready" | "failed" | "deleted";
            contentType: string;
            sizeBytes: number;
            sha256?: string | null;
            /** Format: uri */
            publicUrl?: string | null;
            createdAt: string;
            updatedAt: string;
        };
        CreateRemoteAssetRequest: {
            kind: components["schemas"]["AssetKind"];
            /** Format: uri */
            remoteUrl: string;
            originalFilename?: string;
            metadata?: Record<string, unknown>;
        };
        RealtimePrepareRequest: {
            /** @description Platform avatar id (`ava_...`). */
            avatar_id: string;
            /**
             * @default portrait
             * @enum {string}
             */
            source_kind?: "portrait" | "source_video";
            video_cache_id?: string | null;
            /** @description Source-video avatars: prepare answers the cache for these overrides (planned as POST /api/v1/realtime/video-cache/plan does; `status` queued until its loop is rendered). Without it (and without video_cache_id), the avatar's default cache. */
            video_cache?: components["schemas"]["VideoCacheSettings"];
        };
        RealtimePrepareResponse: {
            /** @description Platform avatar id you sent. */
            avatar_id: string;
            /** @description Internal renderer avatar id. */
            renderer_avatar_id?: string | null;
            model_id?: string;
            backend_id?: string;
            /** @constant */
            status?: "ready";
            registered?: boolean;
            /** @enum {string} */
            source_kind?: "portrait" | "source_video";
            timings?: {
                [key: string]: number;
            };
            /** @description Video cache manifest when source_kind is source_video. */
            video_cache?: Record<string, unknown> | null;
        };
        RealtimeChatMessage: {
            /** @enum {string} */
            role: "user" | "assistant" | "system";
            content: string;
        };
        RealtimeTurnRequest: {
            /** @description Platform avatar id (`ava_...`). */
            avatar_id: string;
            /**
             * @description `chat` generates a reply from `messages`; `speak_text` renders `text` verbatim.
             * @default chat
             * @enum {string}
             */
            mode?: "chat" | "speak_text";
            messages?: components["schemas"]["RealtimeChatMessage"][];
            /** @description Text to speak when mode is `speak_text`. */
            text?: string | null;
            voice_id?: string | null;
            /** @default curious */
            emotion?: string;
            /** @default en */
            language?: string;
            /** @default 1 */
            speed?: number;
            /** @default plain_white */
            background_id?: string;
            /**
             * @default portrait
             * @enum {string}
             */
            source_kind?: "portrait" | "source_video";
            video_cache_id?: string | null;
            /**
             * @description Render the first 200ms chunk as soon as current audio exists.
             * @default false
             */
            low_latency_first_chunk?: boolean;
            /** @default 520 */
            playout_delay_ms?: number;
            /** @default 120 */
            max_buffer_delay_ms?: number;
            /**
             * @description Who draws the avatar. `client` (default): the stream carries audio and per-frame `motion` records for the SDK player to render on the viewer's GPU. `server`: the stream also carries JPEG `video` records (256×256, one per motion frame) rendered on the server's CPU. Added by this server; not in the seed contract.
             * @default client
             * @enum {string}
             */
            render?: "client" | "server";
        };
        /** @description Provide audioUrl plus either avatarId or portraitUrl. */
        LipsyncRequest: {
            /**
             * Format: uri
             * @description Public URL of the speech audio to lipsync.
             */
            audioUrl: string;
            /** @description An avatar you created (ava_...). */
            avatarId?: string;
            /**
             * Format: uri
             * @description Portrait image to register as the source avatar.
             */
            portraitUrl?: string;
            /** @description Optional background id. */
            backgroundId?: string;
        };
        LipsyncResponse: {
            /**
             * Format: uri
             * @description Public URL of the rendered MP4.
             */
            url: string;
            avatarId: string;
            frames: number;
            fps: number;
            durationSeconds: number;
        };
        ApiKeyList: {
            data: components["schemas"]["ApiKey"][];
        };
        UsageReport: {
            /** @enum {string} */
            environment: "live" | "test";
            data: {
                /** @description UTC day, YYYY-MM-DD. */
                day: string;
                renderedMs: number;
                creditMicros: number;
                events: number;
            }[];
        };
        AvatarRenderAssets: {
            avatar_id: string;
            /** @description The prepared rig's manifest; a re-prepare makes a new one. */
            manifest_id: string;
            version: number;
            /** @description The rig (mesh, mouth and head geometry) the renderer deforms; its format is versioned by `kind`/`version` inside. */
            rig: {
                [key: string]: unknown;
            };
            /** @description Image avatars: path of the portrait on this server (/files/…, an unguessable capability URL). */
            portrait_url?: string;
            /** @description Source-video avatars (instead of portrait_url): the resting loop to decode once and its plan (docs/video-avatars.md). */
            video?: {
                /** @description Path of the loop MP4 (/files/…). */
                loop_url: string;
                plan: {
                    [key: string]: unknown;
                };
            };
        };
        /** @description Overrides of a source-video avatar's cache (all optional; unknown fields are a 422). The same overrides answer the same cache. */
        VideoCacheSettings: {
            /** @description Output frame rate (at most the clip's analysis rate, min(25, source fps)). */
            fps?: number;
            /** @description Output side in pixels (default min(512, the face crop)). */
            size?: number;
            /** @description Start of the resting loop in the clip, seconds. */
            loop_start_s?: number;
            /** @description End of the resting loop, seconds (at least 1 s after loop_start_s, inside the clip). */
            loop_end_s?: number;
            /** @description Shortest loop the planner may choose (default 2 s). */
            min_loop_s?: number;
            /** @description Longest loop the planner may choose (default 4 s). */
            max_loop_s?: number;
        };
        /** @description The resting loop of a source-video avatar: which frames loop (mode `cut`: the end returns to the start; `pingpong`: forward and back, where no clean cut exists), output size and fps, the smoothed per-frame face pose the mouth is drawn at ([a, b, tx, ty]: a similarity in crop units), and where the source's mouth is already closed. */
        VideoCachePlan: {
            /** @constant */
            version: 1;
            output: {
                size: number;
                fps: number;
            };
            loop: {
                /** @enum {string} */
                mode: "cut" | "pingpong";
                startSec: number;
                endSec: number;
                startFrame?: number;
                endFrame?: number;
                /** @description Frames one pass of the loop plays at the output fps. */
                frames: number;
                /** @description Frame difference across the loop point (0-255 luma). */
                seamDiff?: number;
                /** @description The clip's own frame-to-frame difference (95th percentile). */
                frameDiffP95?: number;
            };
            rigTrack: number[][];
            mouthClosed: boolean[];
        };
        /** @description A source-video avatar's cache: `id` is the `video_cache_id` prepare and turn accept; `status` queued (the loop is being rendered) → ready | failed. While the avatar itself is still being prepared, only `avatar_id`, `status` (the avatar's) and `source_kind` are present. */
        VideoCacheRecord: {
            id?: string;
            avatar_id: string;
            /** @description The avatar manifest the cache belongs to. */
            renderer_avatar_id?: string;
            cache_version?: number;
            /** @constant */
            source_kind: "source_video";
            status: string;
            failure_reason?: string | null;
            settings?: components["schemas"]["VideoCacheSettings"];
            /** @description The loop as an MP4 video asset of your workspace (GET /api/v1/assets/{id}). */
            loop_asset_id?: string | null;
            created_at?: string;
            updated_at?: string;
        };
        RealtimeSessionCreateRequest: {
            /**
             * @description Seed 004: `audio` (the avatar speaks: audio + motion records) or `text` (text deltas only).
             * @enum {string}
             */
            outputModality: "text" | "audio";
            /** @description Seed 004: continue this thread's history (from an earlier session of this workspace and key environment, same avatar). Omitted: a new thread. */
            threadId?: string;
            /** @description Seed 004: the persona/instructions for this session; null or omitted: the avatar's settings. */
            prompt?: string | null;
            /** @description Seed 004: your own reference for the session (e.g. your call id), stored and returned as given. Our id is `session_id`. */
            sessionId?: string | null;
            /** @description Seed 004: `{type: "websocket"}` (default), or `{type: "webrtc", sdp: "<offer>"}`: the browser's SDP offer (gathering complete; an audio transceiver, the `events` data channel, and a recvonly video transceiver for render: server). The 201 then carries the server's SDP answer in `transport.sdp` and the session runs over that peer connection (docs/realtime-sessions.md, WebRTC). An offer that is not SDP or lacks what the session needs answers 422 `invalid_sdp`. */
            transport?: ({
                /** @constant */
                type: "websocket";
            } | {
                /** @constant */
                type: "webrtc";
                sdp: string;
            }) | null;
            /** @description Seed 004's voice names (alloy, arbor, ash, ballad, breeze, cedar, coral, cove, echo, ember, juniper, maple, marin, sage, shimmer, sol, spruce, vale, verse) map to this server's voices by the table in docs/realtime-sessions.md; our own voice ids (`espeak:en-us+f3`, `openai:alloy`) work too. Null: the avatar's voice. */
            voice?: string | null;
            /** @description A ready avatar of this workspace (prepare it first). */
            avatar_id: string;
            /**
             * @description `voice`: microphone audio over the socket; `text`: only `conversation.item.create` (audio frames are refused).
             * @default voice
             * @enum {string}
             */
            input?: "voice" | "text";
            /**
             * @description `server_vad` (default): the server detects when the user stops; `none`: push-to-talk, the client sends `input_audio_buffer.commit`.
             * @default {
             *       "type": "server_vad",
             *       "threshold": 0.5,
             *       "silence_duration_ms": 500,
             *       "prefix_padding_ms": 300
             *     }
             */
            turn_detection?: {
                /** @constant */
                type: "server_vad";
                /** @default 0.5 */
                threshold?: number;
                /** @default 500 */
                silence_duration_ms?: number;
                /** @default 300 */
                prefix_padding_ms?: number;
            } | {
                /** @constant */
                type: "none";
            };
            /**
             * @description BCP-47 tag of the user's speech and the avatar's replies. A voice session in a language the server's recogniser cannot do answers 422 `unsupported_language`.
             * @default en
             */
            language?: string;
            /**
             * @description `client` (default): audio + motion records for the viewer's GPU; `server`: JPEG video records as well.
             * @default client
             * @enum {string}
             */
            render?: "client" | "server";
            /**
             * @description `mux` (default): binary frames are avatar-mux records. `fmp4` (seed 003; needs `render: "server"` and `outputModality: "audio"`): binary frames are each reply as a fragmented MP4 (H.264 + AAC) for MediaSource.
             * @default mux
             * @enum {string}
             */
            video_format?: "mux" | "fmp4";
            /**
             * @description The session ends (`max_duration`) this long after the socket connects.
             * @default 1800
             */
            max_seconds?: number;
            /**
             * @description The session ends (`idle_timeout`) after this long without user speech or client events.
             * @default 120
             */
            idle_timeout_s?: number;
            /**
             * @description Function definitions; the model's calls reach the client as `response.function_call` events and run there.
             * @default []
             */
            tools?: {
                /** @constant */
                type: "function";
                name: string;
                description?: string;
                parameters?: {
                    [key: string]: unknown;
                };
            }[];
            /**
             * @description Any JSON object; stored and returned.
             * @default {}
             */
            metadata?: {
                [key: string]: unknown;
            };
        };
        RealtimeSession: {
            id: string;
            /** @description The same as `id`. */
            session_id: string;
            /** @constant */
            object: "realtime.session";
            /**
             * @description `created` (secret issued), `connected` (socket open), `ended`.
             * @enum {string}
             */
            status: "created" | "connected" | "ended";
            avatar_id: string;
            threadId: string;
            /** @description Your reference (seed 004 `sessionId`). */
            sessionId?: string | null;
            /** @enum {string} */
            outputModality?: "text" | "audio";
            /** Format: date-time */
            created_at: string;
            /**
             * Format: date-time
             * @description When the socket connected.
             */
            started_at?: string | null;
            /** Format: date-time */
            ended_at?: string | null;
            /** @description Connected time (so far, while connected). */
            duration_ms: number;
            /** @description Avatar speech delivered: the only thing a session bills. */
            speech_ms: number;
            billed_speech_seconds: number;
            billed_credit_micros: number;
            /** @enum {string|null} */
            end_reason: "client_closed" | "disconnected" | "idle_timeout" | "max_duration" | "ended_by_api" | "secret_expired" | "server_shutdown" | "error" | null;
            metadata?: Record<string, unknown>;
        };
        RealtimeSessionCreated: components["schemas"]["RealtimeSession"] & {
            prompt?: string | null;
            /** @description Our voice id the session speaks with. */
            voice?: string | null;
            /** @enum {string} */
            input?: "voice" | "text";
            turn_detection?: Record<string, unknown>;
            language?: string;
            /** @enum {string} */
            render?: "client" | "server";
            /** @enum {string} */
            video_format?: "mux" | "fmp4";
            max_seconds?: number;
            idle_timeout_s?: number;
            tools?: Record<string, unknown>[];
            transport?: {
                /** @enum {string} */
                type: "websocket" | "webrtc";
                /** @description webrtc: the server's SDP answer, with its ICE candidates (no trickle). Apply it with setRemoteDescription({type: "answer", sdp}). */
                sdp?: string;
            };
            /** @description The session's WebSocket. Connect with `?token=<client_secret.value>` or offer the secret as a Sec-WebSocket-Protocol (beside `tic-realtime`). */
            url: string;
            /** @description Shown once. Give it to the browser: it opens one connection, once, before `expires_at` (60 s by default). */
            client_secret: {
                value: string;
                /** Format: date-time */
                expires_at: string;
            };
            /**
             * Format: date-time
             * @description The latest the session can run: connected at the secret's expiry, then `max_seconds`.
             */
            expires_at: string;
        };
        RealtimeSessionDetail: components["schemas"]["RealtimeSession"] & {
            prompt?: string | null;
            /** @description Our voice id the session speaks with. */
            voice?: string | null;
            /** @enum {string} */
            input?: "voice" | "text";
            turn_detection?: Record<string, unknown>;
            language?: string;
            /** @enum {string} */
            render?: "client" | "server";
            /** @enum {string} */
            video_format?: "mux" | "fmp4";
            max_seconds?: number;
            idle_timeout_s?: number;
            tools?: Record<string, unknown>[];
            transport?: {
                /** @enum {string} */
                type: "websocket" | "webrtc";
                /** @description webrtc: the server's SDP answer, with its ICE candidates (no trickle). Apply it with setRemoteDescription({type: "answer", sdp}). */
                sdp?: string;
            };
            /** @description User and avatar turns in order; times are milliseconds from the session's start. An interrupted avatar turn holds only what the client played. */
            transcript: {
                /** @enum {string} */
                role: "user" | "assistant" | "tool";
                text: string;
                interrupted: boolean;
                start_ms?: number | null;
                end_ms?: number | null;
                tool?: Record<string, unknown> | null;
                /** Format: date-time */
                created_at: string;
            }[];
        };
        RealtimeSessionList: {
            data: components["schemas"]["RealtimeSession"][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            next_cursor: string | null;
        };
        VideoCreateRequest: {
            /** @description What the avatar says, spoken by the embedded TTS (espeak-ng). Exactly one of `text` and `audioUrl`. */
            text?: string;
            /**
             * Format: uri
             * @description Your own speech: a public http(s) URL of an audio file (fetched with the same SSRF defences as remote assets; at most 120 s).
             */
            audioUrl?: string;
            /** @description A preset avatar's name (seed 001 `avatar`); an unknown name answers 422 `unknown_avatar` listing the presets. Exactly one of `avatar` and `avatar_id`. */
            avatar?: string;
            /** @description A ready avatar of your workspace. */
            avatar_id?: string;
            /**
             * @description Seed 001's emotions; they shape the voice.
             * @default neutral
             * @enum {string}
             */
            emotion?: "happy" | "neutral" | "serious";
            /**
             * @description Seed 001's 17 languages, each spoken by espeak-ng.
             * @default en
             * @enum {string}
             */
            language?: "en" | "es" | "fr" | "de" | "it" | "pt" | "pl" | "tr" | "ru" | "nl" | "cs" | "ar" | "zh" | "ja" | "hu" | "ko" | "hi";
            /** @description A voice of the embedded TTS (`espeak:de+f3`); default: the language's voice. */
            voice_id?: string;
            /** @description Seed 001's delayed generation: answer at once with `status: "delayed"`; the first request to `html_url` or `mp4_url` renders the video and bills it. */
            delayed?: boolean | ("true" | "false");
        };
        /** @description Seed 001's inference answer. Credits are credit micros (1,000,000 = one realtime second). */
        Video: {
            /** @description Unguessable: it is also the capability of the public URLs. */
            id: string;
            /**
             * @description `success` (rendered), `delayed` (renders on first view), `rendering`.
             * @enum {string}
             */
            status: "success" | "delayed" | "rendering";
            /** @constant */
            stream?: false;
            text: string | null;
            audioUrl?: string | null;
            /** Format: date-time */
            created_at: string;
            /** @enum {string} */
            language: "en" | "es" | "fr" | "de" | "it" | "pt" | "pl" | "tr" | "ru" | "nl" | "cs" | "ar" | "zh" | "ja" | "hu" | "ko" | "hi";
            /** @description Credit micros billed: the seconds rendered; 0 until a delayed video is rendered. */
            credits_consumed: number;
            /** @description The preset's name, or the avatar id. */
            avatar: string;
            avatar_id?: string | null;
            /** @enum {string} */
            emotion: "happy" | "neutral" | "serious";
            voice_id?: string | null;
            file_size_bytes: number | null;
            inference_duration_ms: number | null;
            video_duration_seconds: number | null;
            /**
             * Format: uri
             * @description Viewer page, public by link.
             */
            html_url: string;
            /**
             * Format: uri
             * @description The MP4 (byte ranges supported), public by link.
             */
            mp4_url: string;
            /** @description Why the last render of a delayed video was refused (it stays delayed and may be retried). */
            failure?: Record<string, unknown> | null;
        };
        VideoList: {
            data: components["schemas"]["Video"][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            next_cursor: string | null;
        };
    };
    responses: {
        /** @description Missing or invalid API key. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description API key lacks the required scope, or the tenant is suspended. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Insufficient credits or key spend limit exceeded. Top up or upgrade at /platform/billing, or lower the requested duration. */
        PaymentRequired: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Resource not found in your tenant. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Idempotency key already used. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Request body failed validation; the error message names the offending field. */
        ValidationError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Renderer upstream failed; safe to retry. */
        UpstreamError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Rate limit of the key or tenant exceeded; wait `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                "Retry-After"?: number;
                RateLimit?: string;
                "RateLimit-Policy"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type Error = components['schemas']['Error'];
export type ApiKeyScope = components['schemas']['ApiKeyScope'];
export type AssetKind = components['schemas']['AssetKind'];
export type CreateApiKeyRequest = components['schemas']['CreateApiKeyRequest'];
export type ApiKey = components['schemas']['ApiKey'];
export type CreateApiKeyResponse = components['schemas']['CreateApiKeyResponse'];
export type CreditBalance = components['schemas']['CreditBalance'];
export type CreateAvatarRequest = components['schemas']['CreateAvatarRequest'];
export type UpdateAvatarRequest = components['schemas']['UpdateAvatarRequest'];
export type Avatar = components['schemas']['Avatar'];
export type Asset = components['schemas']['Asset'];
export type CreateRemoteAssetRequest = components['schemas']['CreateRemoteAssetRequest'];
export type RealtimePrepareRequest = components['schemas']['RealtimePrepareRequest'];
export type RealtimePrepareResponse = components['schemas']['RealtimePrepareResponse'];
export type RealtimeChatMessage = components['schemas']['RealtimeChatMessage'];
export type RealtimeTurnRequest = components['schemas']['RealtimeTurnRequest'];
export type LipsyncRequest = components['schemas']['LipsyncRequest'];
export type LipsyncResponse = components['schemas']['LipsyncResponse'];
export type ApiKeyList = components['schemas']['ApiKeyList'];
export type UsageReport = components['schemas']['UsageReport'];
export type AvatarRenderAssets = components['schemas']['AvatarRenderAssets'];
export type VideoCacheSettings = components['schemas']['VideoCacheSettings'];
export type VideoCachePlan = components['schemas']['VideoCachePlan'];
export type VideoCacheRecord = components['schemas']['VideoCacheRecord'];
export type RealtimeSessionCreateRequest = components['schemas']['RealtimeSessionCreateRequest'];
export type RealtimeSession = components['schemas']['RealtimeSession'];
export type RealtimeSessionCreated = components['schemas']['RealtimeSessionCreated'];
export type RealtimeSessionDetail = components['schemas']['RealtimeSessionDetail'];
export type RealtimeSessionList = components['schemas']['RealtimeSessionList'];
export type VideoCreateRequest = components['schemas']['VideoCreateRequest'];
export type Video = components['schemas']['Video'];
export type VideoList = components['schemas']['VideoList'];
export type ResponseUnauthorized = components['responses']['Unauthorized'];
export type ResponseForbidden = components['responses']['Forbidden'];
export type ResponsePaymentRequired = components['responses']['PaymentRequired'];
export type ResponseNotFound = components['responses']['NotFound'];
export type ResponseConflict = components['responses']['Conflict'];
export type ResponseValidationError = components['responses']['ValidationError'];
export type ResponseUpstreamError = components['responses']['UpstreamError'];
export type ResponseTooManyRequests = components['responses']['TooManyRequests'];
export type $defs = Record<string, never>;
export interface operations {
    listAvatars: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Avatar list */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Avatar"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createAvatar: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAvatarRequest"];
            };
        };
        responses: {
            /** @description Avatar created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Avatar"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getAvatar: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Platform avatar id (starts with `ava_`). */
                avatarId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Avatar */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Avatar"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    deleteAvatar: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Platform avatar id (starts with `ava_`). */
                avatarId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    updateAvatar: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Platform avatar id (starts with `ava_`). */
                avatarId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAvatarRequest"];
            };
        };
        responses: {
            /** @description Updated avatar */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Avatar"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listAssets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Asset list */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Asset"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    uploadAsset: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                    kind?: components["schemas"]["AssetKind"];
                };
            };
        };
        responses: {
            /** @description Asset stored */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createRemoteAsset: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRemoteAssetRequest"];
            };
        };
        responses: {
            /** @description Asset stored */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    prepareRealtime: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RealtimePrepareRequest"];
            };
        };
        responses: {
            /** @description Avatar prepared */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RealtimePrepareResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["PaymentRequired"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    realtimeTurn: {
        parameters: {
            query?: never;
            header?: {
                /** @description Unique key per turn attempt; reusing a key returns 409. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RealtimeTurnRequest"];
            };
        };
        responses: {
            /** @description Audio-clocked avatar mux stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-avatar-mux": string;
                    "application/octet-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["PaymentRequired"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The Idempotency-Key was used before (any reuse), or the avatar is not prepared (status not ready: call prepare). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
            /** @description `mode: chat` on a live key while no LLM is configured on the server (the message says which variables to set), or the speech engine is not installed. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    planVideoCache: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Platform avatar id (`ava_...`). */
                    avatar_id: string;
                    video_cache?: components["schemas"]["VideoCacheSettings"];
                };
            };
        };
        responses: {
            /** @description Cache plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "queued" | "ready";
                        /** @description null while the avatar is still being prepared (status queued: poll again). */
                        plan?: components["schemas"]["VideoCachePlan"] | null;
                        manifest: components["schemas"]["VideoCacheRecord"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description `video_cache` out of range or bounds outside the clip; the avatar is a portrait; or its video could not be prepared (`video_not_usable`, the reason in the message). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    getCreditBalance: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Credit balance */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditBalance"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description API keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description API key created — store `apiKey` now; it is not retrievable later. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateApiKeyResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    lipsync: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LipsyncRequest"];
            };
        };
        responses: {
            /** @description Rendered lipsync video */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LipsyncResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["PaymentRequired"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getAvatarRenderAssets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                avatarId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Render assets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvatarRenderAssets"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description `missing_scope`, `tenant_suspended`; with a publishable key also `origin_not_allowed`, `avatar_not_allowed` (each message says what to change). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listUsage: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Usage per day */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listRealtimeSessions: {
        parameters: {
            query?: {
                /** @description Page size (1–100, default 20). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
                /** @description Only sessions in this status. */
                status?: "created" | "connected" | "ended";
                /** @description Only sessions of this avatar. */
                avatar_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RealtimeSessionList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    createRealtimeSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RealtimeSessionCreateRequest"];
            };
        };
        responses: {
            /** @description Session created; connect within `client_secret.expires_at`. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RealtimeSessionCreated"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description `missing_scope`, `tenant_suspended`; with a publishable key also `origin_not_allowed`, `avatar_not_allowed`, `field_not_allowed` (each message says what to change). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The avatar is not ready, or the Idempotency-Key was used before (a client secret is never replayed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    getRealtimeSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RealtimeSessionDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    startRealtimeStreaming: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    session_id: string;
                    sdp: {
                        /** @constant */
                        type: "offer";
                        sdp: string;
                    };
                };
            };
        };
        responses: {
            /** @description Started: apply `sdp` with setRemoteDescription. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "started";
                        session_id: string;
                        sdp: {
                            /** @constant */
                            type: "answer";
                            sdp: string;
                        };
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The session already connected, ended, or its secret expired. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    endRealtimeSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ended session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RealtimeSession"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    listVideos: {
        parameters: {
            query?: {
                /** @description Page size (1–100, default 20). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of videos */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VideoList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createVideo: {
        parameters: {
            query?: {
                /** @description `true`: answer the MP4 bytes as they are rendered (not with `delayed`). */
                stream?: "true" | "false";
            };
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VideoCreateRequest"];
            };
        };
        responses: {
            /** @description `?stream=true`: the fragmented MP4 as it renders; `X-Video-Id` names the stored video. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": string;
                };
            };
            /** @description Rendered and stored. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Video"];
                };
            };
            /** @description `delayed: true`: recorded; renders on the first request to `html_url` or `mp4_url`. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Video"];
                };
            };
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["PaymentRequired"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
            502: components["responses"]["UpstreamError"];
        };
    };
    getVideo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                videoId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The video */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Video"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    deleteVideo: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same request, from the same API key, replays the first answer; with a different request answers 422; while the first is still running answers 409. Scoped to the calling API key (other keys never see its answers). A created API key's secret is never replayed: reusing the key of a successful createApiKey answers 409 naming the created key. Kept 24 hours. */
                "Idempotency-Key"?: string;
            };
            path: {
                videoId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            429: components["responses"]["TooManyRequests"];
        };
    };
}
