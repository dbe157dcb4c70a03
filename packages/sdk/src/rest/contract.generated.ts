// Generated from server/http/openapi/contract.json by packages/sdk/scripts/generate-rest-types.ts.
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
        get?: never;
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
            /** @description Source-video cache settings overrides. */
            video_cache?: Record<string, unknown>;
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
export type ResponseUnauthorized = components['responses']['Unauthorized'];
export type ResponseForbidden = components['responses']['Forbidden'];
export type ResponsePaymentRequired = components['responses']['PaymentRequired'];
export type ResponseNotFound = components['responses']['NotFound'];
export type ResponseConflict = components['responses']['Conflict'];
export type ResponseValidationError = components['responses']['ValidationError'];
export type ResponseUpstreamError = components['responses']['UpstreamError'];
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
        };
    };
    createAvatar: {
        parameters: {
            query?: never;
            header?: never;
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
            422: components["responses"]["ValidationError"];
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
            404: components["responses"]["NotFound"];
        };
    };
    deleteAvatar: {
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
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    updateAvatar: {
        parameters: {
            query?: never;
            header?: never;
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
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
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
        };
    };
    uploadAsset: {
        parameters: {
            query?: never;
            header?: never;
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
            422: components["responses"]["ValidationError"];
        };
    };
    createRemoteAsset: {
        parameters: {
            query?: never;
            header?: never;
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
            422: components["responses"]["ValidationError"];
        };
    };
    prepareRealtime: {
        parameters: {
            query?: never;
            header?: never;
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
            404: components["responses"]["NotFound"];
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
                    "application/octet-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["PaymentRequired"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            502: components["responses"]["UpstreamError"];
        };
    };
    planVideoCache: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Platform avatar id (`ava_...`). */
                    avatar_id: string;
                    /** @description Optional cache settings overrides. */
                    video_cache?: Record<string, unknown>;
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
                        plan?: unknown;
                        /** @description Avatar cache manifest record. */
                        manifest: Record<string, unknown>;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
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
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
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
            422: components["responses"]["ValidationError"];
        };
    };
    lipsync: {
        parameters: {
            query?: never;
            header?: never;
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
            422: components["responses"]["ValidationError"];
            502: components["responses"]["UpstreamError"];
        };
    };
}
