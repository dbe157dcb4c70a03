import "server-only";
import { z } from "zod";
import { parseTrustedProxy } from "./http/trusted-proxy";
import { planLimitsVariable, sessionLimitsVariable } from "./services/plan-limits";
import { iceServersVariable } from "./services/live-sessions/webrtc/ice-servers";

// Every environment variable the server reads, parsed once. Add new ones here and to the README table.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  PGLITE_DATA_DIR: z.string().default("data/pglite"),
  // node-postgres pool size of a PostgreSQL DATABASE_URL.
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1_000).default(20),
  DATA_DIR: z.string().default("data"),
  // Signs session tokens. Only the web server needs it (sessionSecret() stops it at start-up without one);
  // the admin CLI and scripts never sign sessions, so they run on a machine where none was generated yet.
  AUTH_SECRET: z.string().min(16, "must be at least 16 characters (openssl rand -base64 32)").optional(),
  AUTH_GITHUB_ID: z.string().optional(),
  AUTH_GITHUB_SECRET: z.string().optional(),
  LOG_LEVEL: logLevelVariable(),
  APP_VERSION: z.string().optional(),
  // The lab: the /lab test benches and the window.__tic test-inspection hook on the avatar stage. Off: /lab answers 404.
  ENABLE_LAB: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),
  // `tic-avatar serve`: its port (--port wins), and whether a production run must be given AUTH_SECRET
  // instead of generating one into DATA_DIR.
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  TIC_REQUIRE_SECRETS: z.enum(["1", "0", ""]).default("").transform((v) => v === "1"),
  // Prepared portrait rigs kept between runs (server/portrait/rig-cache); the OS temp folder when unset.
  TIC_RIG_CACHE_DIR: z.string().min(1).optional(),
  // Public API edge (server/http): per-plan rate limits as JSON, e.g. {"free":{"keyPerSecond":20,"keyBurst":40,"tenantPerSecond":50,"tenantBurst":100}}.
  API_RATE_LIMITS: planLimitsVariable,
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  // Live sessions (docs/realtime-sessions.md): concurrent sessions per plan as JSON ({"free":2,"pro":10,"enterprise":100}),
  // how long a client secret may wait to connect, and how long a dropped socket is waited for before its session ends.
  REALTIME_SESSION_LIMITS: sessionLimitsVariable,
  REALTIME_SESSION_SECRET_TTL_S: z.coerce.number().int().min(5).max(600).default(60),
  REALTIME_SESSION_DISCONNECT_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  // WebRTC sessions (docs/realtime-sessions.md "WebRTC"): the STUN/TURN servers the server's peer gathers
  // candidates with, as the JSON of RTCPeerConnection's iceServers ([{"urls":"turn:turn.example.com:3478",
  // "username":"u","credential":"p"}]; empty: host candidates only, enough on one network), and how long
  // an answered peer may take to connect before its session ends `disconnected`.
  REALTIME_WEBRTC_ICE_SERVERS: iceServersVariable,
  REALTIME_WEBRTC_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
  // Shared state of several app instances (docs/deployment.md): rate-limit counters and API-key cache
  // invalidation go through this Redis. Unset: limits are per process and invalidation uses PostgreSQL
  // LISTEN/NOTIFY (the embedded PGlite is one process anyway).
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).default(30_000),
  // Lifetime of a credit hold past its last heartbeat: a live turn or lipsync renews its hold every
  // third of this; a crashed server's holds are released this long (plus one sweep) after it died.
  RESERVATION_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  // Durable jobs (server/jobs, docs/deployment.md): `tic-avatar serve` runs a worker in its own process
  // unless JOBS_IN_PROCESS is false (then run `tic-avatar worker`); how many jobs one worker runs at once;
  // a job whose worker stops renewing its lease (SIGKILL, crash) is picked again after about
  // JOBS_LEASE_SECONDS + JOBS_SWEEP_SECONDS; failed attempts are retried after JOBS_RETRY_DELAY_SECONDS,
  // doubling each time; workers look for new jobs every JOBS_POLL_SECONDS.
  JOBS_IN_PROCESS: z.enum(["true", "false", "1", "0"]).default("true").transform((v) => v === "true" || v === "1"),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  JOBS_LEASE_SECONDS: z.coerce.number().int().min(2).max(3_600).default(30),
  JOBS_SWEEP_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  JOBS_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3_600).default(5),
  JOBS_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  // Outbound webhooks (server/services/webhooks, docs/webhooks.md): attempts per delivery, the first
  // retry's delay (doubling each time, at most 6 h) and each request's deadline. Attempts run as
  // `webhook-delivery` jobs (server/jobs), so the JOBS_* settings say who runs them and how soon.
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_RETRY_BASE_S: z.coerce.number().min(0.01).max(3_600).default(30),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  // Price of one realtime minute in Stripe Checkout, in the smallest currency unit of STRIPE_CURRENCY.
  STRIPE_CENTS_PER_MINUTE: z.coerce.number().int().positive().default(20),
  STRIPE_CURRENCY: z.string().length(3).default("usd"),
  // Stored without trailing slashes: every absolute URL is built as `${base}/path`.
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .transform((v) => v.replace(/\/+$/, ""))
    .optional(),
  // GET /metrics (server/services/metrics.ts): with a token, readable from anywhere with
  // `Authorization: Bearer <token>`; without one, only from this machine.
  METRICS_TOKEN: z.string().min(16).optional(),
  // Reverse proxies whose X-Forwarded-For is believed (per-address limits): a hop count or addresses/CIDRs.
  // Unset: forwarding headers are ignored and the socket's address is used.
  TRUSTED_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      try {
        return parseTrustedProxy(v);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  // Asset storage (server/services/storage): a local folder unless S3_BUCKET names an S3-compatible bucket.
  STORAGE_DIR: z.string().default("data/storage"),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_ENDPOINT: z.string().url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),
  S3_PREFIX: z.string().default(""),
  // Asset limits (server/services/assets): bytes per kind, the image pixel cap, and remote ingest's time budget.
  ASSET_MAX_IMAGE_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  ASSET_MAX_VIDEO_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  ASSET_MAX_AUDIO_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  ASSET_MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  REMOTE_FETCH_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  // Speech and chat providers (server/services/tts, server/services/llm; see docs/providers.md).
  // TTS: the embedded espeak-ng subprocess unless TTS_PROVIDER=openai picks an OpenAI-compatible /audio/speech.
  TTS_PROVIDER: z.enum(["espeak", "openai"]).default("espeak"),
  ESPEAK_NG_PATH: z.string().min(1).default("espeak-ng"),
  // Base URLs include the API version path, as OpenAI's SDKs expect: https://api.openai.com/v1, http://127.0.0.1:8000/v1.
  TTS_OPENAI_BASE_URL: z.string().url().default("https://api.openai.com/v1"),
  TTS_OPENAI_API_KEY: z.string().optional(),
  TTS_OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini-tts"),
  TTS_OPENAI_VOICE: z.string().min(1).default("alloy"),
  // Send the turn's emotion as `instructions` (gpt-4o-mini-tts understands it; tts-1 and many compatible servers reject it).
  TTS_OPENAI_INSTRUCTIONS: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),
  // Upper bound on waiting for response headers and on any silence between body chunks of a provider call.
  TTS_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  // LLM for `chat` turns: any OpenAI-compatible /chat/completions. Unset: test keys and the demo use the FAQ responder.
  LLM_BASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  // Speech recognition for live sessions (server/services/speech): the embedded pocketsphinx unless
  // STT_PROVIDER=openai picks an OpenAI-compatible /audio/transcriptions.
  STT_PROVIDER: z.enum(["pocketsphinx", "openai"]).default("pocketsphinx"),
  // The Python with Debian's python3-pocketsphinx (the system one, not a pyenv or venv one), the model, and how many recogniser processes run.
  STT_POCKETSPHINX_PYTHON: z.string().min(1).default("/usr/bin/python3"),
  STT_POCKETSPHINX_MODEL_DIR: z.string().min(1).default("/usr/share/pocketsphinx/model/en-us"),
  STT_POCKETSPHINX_PROCESSES: z.coerce.number().int().min(1).max(16).default(2),
  STT_BASE_URL: z.string().url().default("https://api.openai.com/v1"),
  STT_API_KEY: z.string().optional(),
  STT_MODEL: z.string().min(1).default("whisper-1"),
  // ISO 639-1 codes the OpenAI-compatible model recognises; a session in another language is refused at start.
  STT_LANGUAGES: z
    .string()
    .default("af,ar,hy,az,be,bs,bg,ca,zh,hr,cs,da,nl,en,et,fi,fr,gl,de,el,he,hi,hu,is,id,it,ja,kn,kk,ko,lv,lt,mk,ms,mr,mi,ne,no,fa,pl,pt,ro,ru,sr,sk,sl,es,sw,sv,tl,ta,th,tr,uk,ur,vi,cy")
    .transform((v) => v.split(",").map((l) => l.trim().toLowerCase()).filter(Boolean)),
  STT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
});

export type Env = z.infer<typeof schema>;

function logLevelVariable() {
  return z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");
}

/** LOG_LEVEL alone, for the logger, which must exist before (and even when) the rest of the environment is valid. */
export function logLevel(source: NodeJS.ProcessEnv = process.env): z.infer<ReturnType<typeof logLevelVariable>> {
  const parsed = logLevelVariable().safeParse(source.LOG_LEVEL);
  return parsed.success ? parsed.data : "info";
}

let cached: Env | undefined;

/** Parsed environment; throws naming every missing or invalid variable. */
export function getEnv(source: NodeJS.ProcessEnv = process.env): Env {
  if (cached && source === process.env) return cached;
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid or missing environment variables:\n${problems}\nSee the configuration table in README.md.`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

/** The session-signing secret; throws naming AUTH_SECRET when unset (the web server checks it at start-up). */
export function sessionSecret(env: Env = getEnv()): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  throw new Error(
    "Invalid or missing environment variables:\n  AUTH_SECRET: required by the web server (openssl rand -base64 32); `tic-avatar serve` generates one into DATA_DIR.\nSee the configuration table in README.md.",
  );
}

/** Which database driver the environment selects. */
export function databaseKind(url: string | undefined): "pglite" | "neon" | "postgres" {
  if (!url) return "pglite";
  const host = new URL(url).hostname;
  return host.endsWith(".neon.tech") || host.endsWith(".neon.build") ? "neon" : "postgres";
}
