// One schema for every driver (PGlite, node-postgres, Neon). Money and durations are integers:
// credit micros as bigint (mode "number": safe up to 2^53, i.e. ~285 years of realtime seconds).
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

// The values of every status and kind column, once: drizzle types the column with the list and a
// CHECK makes the database refuse anything else (a typo in raw SQL, a value from an old build).
export const TENANT_STATUSES = ["active", "suspended"] as const;
export const MEMBERSHIP_ROLES = ["owner", "admin", "member"] as const;
export const RESERVATION_STATUSES = ["pending", "settled", "voided", "expired"] as const;
export const LEDGER_ENTRY_KINDS = ["grant", "reserve", "settle", "release", "void", "expire"] as const;
export const ASSET_KINDS = ["image", "video", "audio"] as const;
export const ASSET_STATUSES = ["pending_upload", "uploaded", "processing", "ready", "failed", "deleted"] as const;
export const AVATAR_SOURCE_KINDS = ["image", "video"] as const;
export const AVATAR_STATUSES = ["draft", "preprocessing", "ready", "failed", "disabled", "deleted"] as const;
export const VIDEO_CACHE_STATUSES = ["queued", "ready", "failed"] as const;
export const IDEMPOTENCY_STATES = ["in_flight", "done"] as const;
export const REALTIME_SESSION_STATUSES = ["created", "connected", "ended"] as const;
/** Why a live session ended (docs/realtime-sessions.md). */
export const SESSION_END_REASONS = [
  "client_closed",
  "disconnected",
  "idle_timeout",
  "max_duration",
  "ended_by_api",
  "secret_expired",
  "server_shutdown",
  "error",
] as const;
/** A text-to-video render (docs/videos.md): `delayed` until its URL is first requested. */
export const VIDEO_STATUSES = ["delayed", "rendering", "ready"] as const;
export const THREAD_MESSAGE_ROLES = ["user", "assistant", "tool"] as const;
/** What credits are reserved and used for: a reservation's purpose becomes its usage events' kind. */
export const USAGE_KINDS = ["realtime_turn", "lipsync", "realtime_session", "video"] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

/** CHECK (column in (...values)); the values are the constants above, never input, so inlining them is safe. */
function oneOf(name: string, column: AnyPgColumn, values: readonly string[]) {
  return check(name, sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(", "))})`);
}

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const micros = (name: string) => bigint(name, { mode: "number" }).notNull().default(0);

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  name: text("name"),
  email: text("email").notNull().unique(),
  emailVerified: timestamp("email_verified", { withTimezone: true, mode: "date" }),
  image: text("image"),
  passwordHash: text("password_hash"),
  createdAt: createdAt(),
});

// The three tables below are the Auth.js adapter's (column names as it expects).
export const accounts = pgTable(
  "accounts",
  {
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

export const sessions = pgTable("sessions", {
  sessionToken: text("session_token").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const tenants = pgTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    status: text("status", { enum: TENANT_STATUSES }).notNull().default("active"),
    plan: text("plan").notNull().default("free"),
    createdAt: createdAt(),
  },
  (t) => [oneOf("tenants_status_check", t.status, TENANT_STATUSES)],
);

export const memberships = pgTable(
  "memberships",
  {
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: MEMBERSHIP_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index("memberships_user_idx").on(t.userId),
    oneOf("memberships_role_check", t.role, MEMBERSHIP_ROLES),
  ],
);

export const API_KEY_KINDS = ["secret", "publishable"] as const;

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    environment: text("environment", { enum: ["test", "live"] }).notNull(),
    // `publishable` (tic_pub_…): may sit in a page; it only creates live sessions for `avatar_ids`
    // from `allowed_origins` (server/services/publishable-keys.ts). Both empty on a secret key.
    kind: text("kind", { enum: API_KEY_KINDS }).notNull().default("secret"),
    allowedOrigins: jsonb("allowed_origins").$type<string[]>().notNull().default([]),
    avatarIds: jsonb("avatar_ids").$type<string[]>().notNull().default([]),
    // sha256 of the full key; the key itself is never stored.
    keyHash: text("key_hash").notNull().unique(),
    redactedKey: text("redacted_key").notNull(),
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    spendLimitCreditMicros: bigint("spend_limit_credit_micros", { mode: "number" }),
    // Settled spend plus open holds; compared with the limit inside the reserve transaction.
    spentCreditMicros: micros("spent_credit_micros"),
    heldCreditMicros: micros("held_credit_micros"),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    createdByUserId: text("created_by_user_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("api_keys_tenant_idx").on(t.tenantId),
    check("api_keys_spend_check", sql`${t.spentCreditMicros} >= 0 and ${t.heldCreditMicros} >= 0`),
    oneOf("api_keys_kind_check", t.kind, API_KEY_KINDS),
  ],
);

export const wallets = pgTable(
  "wallets",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    environment: text("environment", { enum: ["test", "live"] }).notNull(),
    grantedMicros: micros("granted_micros"),
    availableMicros: micros("available_micros"),
    reservedMicros: micros("reserved_micros"),
    usedMicros: micros("used_micros"),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("wallets_tenant_env_idx").on(t.tenantId, t.environment),
    // The ledger invariants, enforced by the database as the last line of defence.
    check("wallets_nonnegative", sql`${t.availableMicros} >= 0 and ${t.reservedMicros} >= 0 and ${t.usedMicros} >= 0`),
    check("wallets_balanced", sql`${t.grantedMicros} = ${t.availableMicros} + ${t.reservedMicros} + ${t.usedMicros}`),
  ],
);

export const reservations = pgTable(
  "reservations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    walletId: text("wallet_id").notNull().references(() => wallets.id),
    apiKeyId: text("api_key_id").references(() => apiKeys.id),
    amountMicros: bigint("amount_micros", { mode: "number" }).notNull(),
    settledMicros: bigint("settled_micros", { mode: "number" }),
    status: text("status", { enum: RESERVATION_STATUSES }).notNull().default("pending"),
    purpose: text("purpose", { enum: USAGE_KINDS }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("reservations_pending_idx").on(t.status, t.expiresAt),
    index("reservations_tenant_idx").on(t.tenantId),
    check("reservations_amount_check", sql`${t.amountMicros} > 0`),
    oneOf("reservations_status_check", t.status, RESERVATION_STATUSES),
    oneOf("reservations_purpose_check", t.purpose, USAGE_KINDS),
  ],
);

export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    walletId: text("wallet_id").notNull().references(() => wallets.id),
    kind: text("kind", { enum: LEDGER_ENTRY_KINDS }).notNull(),
    amountMicros: bigint("amount_micros", { mode: "number" }).notNull(),
    reservationId: text("reservation_id"),
    apiKeyId: text("api_key_id"),
    reason: text("reason"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("ledger_tenant_idx").on(t.tenantId, t.createdAt),
    index("ledger_reservation_idx").on(t.reservationId),
    oneOf("ledger_entries_kind_check", t.kind, LEDGER_ENTRY_KINDS),
  ],
);

export const assets = pgTable(
  "assets",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ASSET_KINDS }).notNull(),
    status: text("status", { enum: ASSET_STATUSES }).notNull().default("ready"),
    contentType: text("content_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256"),
    storageKey: text("storage_key").notNull(),
    // Random token in the public URL: possession of the URL is the permission to read the bytes.
    publicToken: text("public_token").notNull().unique(),
    originalFilename: text("original_filename"),
    sourceUrl: text("source_url"),
    width: integer("width"),
    height: integer("height"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("assets_tenant_idx").on(t.tenantId, t.createdAt),
    oneOf("assets_kind_check", t.kind, ASSET_KINDS),
    oneOf("assets_status_check", t.status, ASSET_STATUSES),
  ],
);

export const avatars = pgTable(
  "avatars",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    sourceKind: text("source_kind", { enum: AVATAR_SOURCE_KINDS }).notNull(),
    modelId: text("model_id").notNull(),
    sourceAssetId: text("source_asset_id").references(() => assets.id),
    status: text("status", { enum: AVATAR_STATUSES }).notNull().default("draft"),
    failureReason: text("failure_reason"),
    defaultVoiceId: text("default_voice_id"),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    cacheManifestId: text("cache_manifest_id"),
    cacheVersion: integer("cache_version").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("avatars_tenant_idx").on(t.tenantId, t.createdAt),
    oneOf("avatars_source_kind_check", t.sourceKind, AVATAR_SOURCE_KINDS),
    oneOf("avatars_status_check", t.status, AVATAR_STATUSES),
  ],
);

// An Idempotency-Key belongs to the API key that sent it (and so to that key's environment): another
// key of the workspace sending the same value runs its own request and never sees this answer.
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    apiKeyId: text("api_key_id").notNull().references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: IDEMPOTENCY_STATES }).notNull().default("in_flight"),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    responseContentType: text("response_content_type"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.apiKeyId, t.key] }),
    index("idempotency_expiry_idx").on(t.expiresAt),
    oneOf("idempotency_keys_state_check", t.state, IDEMPOTENCY_STATES),
  ],
);

export const usageEvents = pgTable(
  "usage_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    environment: text("environment", { enum: ["test", "live"] }).notNull(),
    apiKeyId: text("api_key_id"),
    avatarId: text("avatar_id"),
    kind: text("kind", { enum: USAGE_KINDS }).notNull(),
    renderedMs: integer("rendered_ms").notNull(),
    creditMicros: bigint("credit_micros", { mode: "number" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("usage_tenant_idx").on(t.tenantId, t.createdAt), oneOf("usage_events_kind_check", t.kind, USAGE_KINDS)],
);

// An avatar's prepared rig (its "cache manifest"): one row per build. avatars.cache_manifest_id
// points at the current one; a rebuild from changed source bytes adds a row with the next version.
export const avatarManifests = pgTable(
  "avatar_manifests",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    avatarId: text("avatar_id").notNull().references(() => avatars.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** sha256 of the source image the rig was built from: same bytes → same rig (prepare is deterministic). */
    sourceSha256: text("source_sha256").notNull(),
    modelId: text("model_id").notNull(),
    rig: jsonb("rig").$type<Record<string, unknown>>().notNull(),
    timings: jsonb("timings").$type<Record<string, number>>().notNull().default({}),
    /** Source-video avatars: the per-frame analysis (face track, thumbnails) plans are computed from (docs/video-avatars.md). */
    videoAnalysis: jsonb("video_analysis").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("avatar_manifests_version_idx").on(t.avatarId, t.version), index("avatar_manifests_tenant_idx").on(t.tenantId)],
);

// A source-video avatar's cache: the plan (resting loop, output size and fps, rig track) computed
// from its manifest's analysis with the caller's overrides, and the loop video rendered from it.
export const videoCaches = pgTable(
  "video_caches",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    avatarId: text("avatar_id").notNull().references(() => avatars.id, { onDelete: "cascade" }),
    manifestId: text("manifest_id").notNull().references(() => avatarManifests.id, { onDelete: "cascade" }),
    status: text("status", { enum: VIDEO_CACHE_STATUSES }).notNull().default("queued"),
    /** The overrides the plan was made with, canonical JSON: the same overrides find the same cache. */
    settingsKey: text("settings_key").notNull(),
    plan: jsonb("plan").$type<Record<string, unknown>>().notNull(),
    /** The loop as an MP4 (a video asset of the tenant), once rendered. */
    loopAssetId: text("loop_asset_id").references(() => assets.id),
    failureReason: text("failure_reason"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("video_caches_settings_idx").on(t.manifestId, t.settingsKey),
    index("video_caches_tenant_idx").on(t.tenantId, t.avatarId),
    oneOf("video_caches_status_check", t.status, VIDEO_CACHE_STATUSES),
  ],
);

// A conversation's history: sessions that name the same thread continue it.
export const realtimeThreads = pgTable(
  "realtime_threads",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    environment: text("environment", { enum: ["test", "live"] }).notNull(),
    avatarId: text("avatar_id").notNull().references(() => avatars.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("realtime_threads_tenant_idx").on(t.tenantId, t.createdAt)],
);

// One live conversation (one WebSocket). State lives here, not in the process holding the socket,
// so any instance can list it or end it. The client secret is stored as its sha256 only.
export const realtimeSessions = pgTable(
  "realtime_sessions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    environment: text("environment", { enum: ["test", "live"] }).notNull(),
    apiKeyId: text("api_key_id"),
    avatarId: text("avatar_id").notNull().references(() => avatars.id, { onDelete: "cascade" }),
    threadId: text("thread_id").notNull().references(() => realtimeThreads.id, { onDelete: "cascade" }),
    status: text("status", { enum: REALTIME_SESSION_STATUSES }).notNull().default("created"),
    /** The parsed create body (input, voice, turn_detection, render, tools, limits …). */
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    secretHash: text("secret_hash").notNull(),
    secretExpiresAt: timestamp("secret_expires_at", { withTimezone: true, mode: "date" }).notNull(),
    secretUsedAt: timestamp("secret_used_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    connectedAt: timestamp("connected_at", { withTimezone: true, mode: "date" }),
    /** Written every few seconds by the instance holding the socket; a stale one means that instance died. */
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true, mode: "date" }),
    /** Seed 004's `sessionId`: the caller's own reference for the session, stored and returned as given. */
    clientSessionId: text("client_session_id"),
    endedAt: timestamp("ended_at", { withTimezone: true, mode: "date" }),
    endReason: text("end_reason", { enum: SESSION_END_REASONS }),
    /** Avatar speech delivered and billed: the only thing a session is charged for. */
    speechMs: integer("speech_ms").notNull().default(0),
    billedMicros: micros("billed_micros"),
  },
  (t) => [
    uniqueIndex("realtime_sessions_secret_idx").on(t.secretHash),
    index("realtime_sessions_tenant_idx").on(t.tenantId, t.createdAt),
    index("realtime_sessions_live_idx").on(t.tenantId, t.status),
    oneOf("realtime_sessions_status_check", t.status, REALTIME_SESSION_STATUSES),
    oneOf("realtime_sessions_end_reason_check", t.endReason, SESSION_END_REASONS),
  ],
);

// The transcript: user and avatar turns, times relative to their session's start. An assistant
// message cut by barge-in holds only what the client reported as played (`interrupted` true).
export const threadMessages = pgTable(
  "thread_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    threadId: text("thread_id").notNull().references(() => realtimeThreads.id, { onDelete: "cascade" }),
    sessionId: text("session_id").references(() => realtimeSessions.id, { onDelete: "set null" }),
    role: text("role", { enum: THREAD_MESSAGE_ROLES }).notNull(),
    text: text("text").notNull(),
    /** Tool calls and results: {call_id, name, arguments} / {call_id, output}. */
    tool: jsonb("tool").$type<Record<string, unknown>>(),
    interrupted: boolean("interrupted").notNull().default(false),
    startMs: integer("start_ms"),
    endMs: integer("end_ms"),
    createdAt: createdAt(),
  },
  (t) => [
    index("thread_messages_thread_idx").on(t.threadId, t.id),
    oneOf("thread_messages_role_check", t.role, THREAD_MESSAGE_ROLES),
  ],
);

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivering", "succeeded", "failed"] as const;
export const WEBHOOK_EVENTS = ["session.ended"] as const;

// A workspace's webhook receiver (one per workspace). The signing secret is kept as issued: HMAC
// needs the secret itself, unlike API keys, which are only ever compared by hash.
export const webhookEndpoints = pgTable("webhook_endpoints", {
  tenantId: text("tenant_id").primaryKey().references(() => tenants.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  secret: text("secret").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

// One event for one receiver, retried with backoff until it is answered 2xx or runs out of
// attempts. Each attempt is a `webhook-delivery` job queued for `next_attempt_at`; the row is the
// log, and a row left `delivering` by a dead worker is claimed again by the job's retry once its
// lock (`locked_until`) runs out.
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    event: text("event", { enum: WEBHOOK_EVENTS }).notNull(),
    /** What the event is about (the session id): one delivery per event and subject. */
    subjectId: text("subject_id").notNull(),
    url: text("url").notNull(),
    /** The exact JSON bytes sent on every attempt (a receiver may dedupe on them or on `id`). */
    body: text("body").notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true, mode: "date" }),
    /** HTTP status of the last answer; null when the receiver could not be reached. */
    responseStatus: integer("response_status"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_subject_idx").on(t.tenantId, t.event, t.subjectId),
    index("webhook_deliveries_tenant_idx").on(t.tenantId, t.createdAt),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    oneOf("webhook_deliveries_status_check", t.status, WEBHOOK_DELIVERY_STATUSES),
    oneOf("webhook_deliveries_event_check", t.event, WEBHOOK_EVENTS),
  ],
);

// Text-to-video (docs/videos.md): one row per POST /api/v1/videos. The id is the capability of its
// public viewer and MP4 URLs (100 random bits), so it is never derived from anything guessable.
export const videos = pgTable(
  "videos",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    environment: text("environment", { enum: ["test", "live"] }).notNull(),
    apiKeyId: text("api_key_id"),
    status: text("status", { enum: VIDEO_STATUSES }).notNull(),
    text: text("text"),
    audioUrl: text("audio_url"),
    /** A workspace avatar (avatar_id) or a platform preset (its name): exactly one is set. */
    avatarId: text("avatar_id"),
    preset: text("preset"),
    emotion: text("emotion").notNull(),
    language: text("language").notNull(),
    voiceId: text("voice_id"),
    storageKey: text("storage_key"),
    fileSizeBytes: bigint("file_size_bytes", { mode: "number" }),
    durationMs: integer("duration_ms"),
    inferenceMs: integer("inference_ms"),
    creditMicros: micros("credit_micros"),
    failure: jsonb("failure").$type<{ code: string; message: string }>(),
    createdAt: createdAt(),
    /** When the current render began: one older than RENDER_STALE_MS died with its process and may be taken over. */
    renderStartedAt: timestamp("render_started_at", { withTimezone: true, mode: "date" }),
    renderedAt: timestamp("rendered_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("videos_tenant_idx").on(t.tenantId, t.environment, t.createdAt),
    oneOf("videos_status_check", t.status, VIDEO_STATUSES),
    check("videos_avatar_check", sql`(${t.avatarId} is null) <> (${t.preset} is null)`),
  ],
);

// The platform's preset avatars added by an operator (`tic-avatar admin add-preset`): every workspace
// may speak as them by name. The built-in ones ship with the code (server/services/videos/presets.ts).
export const avatarPresets = pgTable("avatar_presets", {
  name: text("name").primaryKey(),
  displayName: text("display_name").notNull(),
  storageKey: text("storage_key").notNull(),
  sha256: text("sha256").notNull(),
  rig: jsonb("rig").$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});
