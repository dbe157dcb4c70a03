import { TicAvatarClient } from "../rest/client";
import { TicApiError, TicSdkError } from "../rest/errors";
import type { RealtimeSessionCreateRequest } from "../rest/types";

// The recommended way to put an avatar in a page (docs/security.md): the page asks the customer's own
// server for a session, the server decides whether the visitor may have one (`authorize`, e.g. its own
// cookie) and which (`session`: avatar, persona, limits — never from the request body), creates it
// with its secret key, and answers with only what the page needs to connect. The secret key never
// leaves the server, and nothing the page sends chooses the session — but one thing only the
// browser has: how it connects. The page's `transport` (`{type: "webrtc", sdp}`: its SDP offer, or
// `{type: "websocket"}`) is checked and passed through, and a WebRTC session's SDP answer relayed back.
//
// Framework-neutral (fetch Request/Response), so one implementation serves the Next.js App Router
// adapter and, through a thin shim, Express or plain node:http (no dependency on either).

/** What the page gets: enough to connect to the session's socket, nothing else. */
export type SessionRouteAnswer = {
  session_id: string;
  /** The one-time client secret (tcs_…): connect with it as the socket's `token`. */
  client_secret: string;
  /** The session's socket URL (wss://…). */
  url: string;
  /** When the client secret expires: connect before it. */
  expires_at: string;
  /** Created over WebRTC (the page sent its SDP offer): the server's SDP answer, for setRemoteDescription. */
  transport?: { type: "webrtc"; sdp: string };
};

/** The longest SDP offer passed through (what our API accepts). */
export const MAX_SDP_LENGTH = 64_000;

export type PageTransport = { type: "webrtc"; sdp: string } | { type: "websocket" };

/** The page's `transport` from its request body: absent (undefined), well-formed, or a SessionRouteRefusal (400 invalid_transport). */
export function pageTransport(body: unknown): PageTransport | undefined {
  if (typeof body !== "object" || body === null || !("transport" in body)) return undefined;
  const t = (body as { transport: unknown }).transport;
  if (t === null || t === undefined) return undefined;
  const bad = (why: string) => new SessionRouteRefusal(400, "invalid_transport", `transport: ${why}; send {type: "webrtc", sdp: "<the SDP offer>"} or {type: "websocket"}.`);
  if (typeof t !== "object") throw bad("not an object");
  const { type, sdp, ...rest } = t as { type?: unknown; sdp?: unknown };
  if (Object.keys(rest).length) throw bad(`unknown field ${Object.keys(rest)[0]}`);
  if (type === "websocket" && sdp === undefined) return { type };
  if (type !== "webrtc") throw bad(`type must be webrtc or websocket`);
  if (typeof sdp !== "string" || !sdp) throw bad("sdp must be the browser's SDP offer (a string)");
  if (sdp.length > MAX_SDP_LENGTH) throw bad(`sdp is longer than ${MAX_SDP_LENGTH} characters`);
  return { type, sdp };
}

/** What an error answer holds: the API's shape ({error, code, retryable, status}). */
export type SessionRouteErrorBody = { error: string; code: string; retryable: boolean; status: number };

export type SessionRouteOptions<Req, Auth> = {
  /** The secret API key (tic_live_…/tic_test_…): read it from the server's environment. */
  apiKey: string;
  /** The API's origin (default https://realtimeavatar.ai). */
  baseUrl?: string;
  /** For tests and custom transports. */
  fetch?: typeof fetch;
  /**
   * Whether this caller may have a session: what it knows of them (a user), or null/undefined/false
   * for 401. Throw `refuseSession(403, …)` to answer another refusal.
   */
  authorize: (req: Req) => Auth | null | undefined | false | Promise<Auth | null | undefined | false>;
  /** The session to create for this caller, decided here (never from the request body). */
  session: (req: Req, auth: Auth) => RealtimeSessionCreateRequest | Promise<RealtimeSessionCreateRequest>;
  /** Told of failures that are the server's own (a hook that threw, the API unreachable); default console.error. */
  onError?: (error: unknown) => void;
};

/** A refusal thrown from `authorize` or `session`: answered with its status and code, its message shown to the page. */
export class SessionRouteRefusal extends Error {
  override readonly name = "SessionRouteRefusal";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 429,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Refuses the session from a hook: `throw refuseSession(403, "plan_required", "Upgrade to talk to Ada.")`. */
export function refuseSession(status: SessionRouteRefusal["status"], code: string, message: string): SessionRouteRefusal {
  return new SessionRouteRefusal(status, code, message);
}

type Answer = { status: number; headers: Record<string, string>; body: SessionRouteAnswer | SessionRouteErrorBody };

const NO_STORE = { "cache-control": "no-store", "content-type": "application/json" };

function fail(status: number, code: string, error: string, headers: Record<string, string> = {}): Answer {
  return { status, headers: { ...NO_STORE, ...headers }, body: { error, code, retryable: status === 429 || status >= 500, status } };
}

// The API's refusals pass through with their code (the messages hold no secret). Two are the site's
// own configuration, not the visitor's doing, so they do not read as "sign in" to the page: the key
// refused (401) or lacking the scope (403 missing_scope) become a 502 naming what the owner must fix.
function fromApi(error: TicApiError): Answer {
  if (error.status === 401 || error.code === "missing_scope") {
    return fail(502, "session_api_key_rejected", "The site's server could not create a session: its TIC API key was refused (revoked, expired, wrong or without realtime:write). The site owner must fix the server's configuration.");
  }
  const headers: Record<string, string> = error.retryAfterSeconds !== undefined ? { "retry-after": String(error.retryAfterSeconds) } : {};
  return { status: error.status, headers: { ...NO_STORE, ...headers }, body: { error: error.message, code: error.code, retryable: error.retryable, status: error.status } };
}

/**
 * One session request, whatever the framework: authorize, decide, create, answer (never throws).
 * `readBody` gives the page's JSON body (or null); only its `transport` is used.
 */
export async function answerSessionRequest<Req, Auth>(options: SessionRouteOptions<Req, Auth>, req: Req, method: string, readBody: () => Promise<unknown> = async () => null): Promise<Answer> {
  if (method !== "POST") return fail(405, "method_not_allowed", "Ask for a session with POST.", { allow: "POST" });
  const report = options.onError ?? ((error: unknown) => console.error("session route failed:", error));
  try {
    const transport = pageTransport(await readBody());
    const auth = await options.authorize(req);
    if (auth === null || auth === undefined || auth === false) return fail(401, "unauthorized", "Sign in to start a conversation.");
    const body = await options.session(req, auth);
    const client = new TicAvatarClient({ apiKey: options.apiKey, baseUrl: options.baseUrl, fetch: options.fetch });
    const created = await client.sessions.create(transport ? { ...body, transport } : body);
    const answer: SessionRouteAnswer = { session_id: created.session_id, client_secret: created.client_secret.value, url: created.url, expires_at: created.client_secret.expires_at };
    const sdp = (created as { transport?: { type?: string; sdp?: string } }).transport;
    if (sdp?.type === "webrtc" && typeof sdp.sdp === "string") answer.transport = { type: "webrtc", sdp: sdp.sdp };
    return { status: 201, headers: NO_STORE, body: answer };
  } catch (error) {
    if (error instanceof SessionRouteRefusal) return fail(error.status, error.code, error.message);
    if (error instanceof TicApiError) {
      if (error.status >= 500) report(error);
      return fromApi(error);
    }
    report(error);
    if (error instanceof TicSdkError && error.code === "network_error") return fail(502, "session_api_unreachable", "The site's server could not reach the avatar service; try again shortly.");
    return fail(500, "session_route_failed", "The site's server could not create a session; try again, or contact the site if it persists.");
  }
}

/**
 * The Next.js App Router adapter: `export const POST = createSessionRoute({ apiKey, authorize, session })`
 * in app/api/avatar-session/route.ts. The hooks get the Request (cookies, headers).
 */
export function createSessionRoute<Auth>(options: SessionRouteOptions<Request, Auth>): (request: Request) => Promise<Response> {
  return async (request) => {
    // A clone: the hooks may read the body themselves.
    const answer = await answerSessionRequest(options, request, request.method, () => request.clone().json().catch(() => null));
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
  };
}

/** The parts of Node's (and Express's) request and response the middleware uses (`body`: what a body parser left). */
export type NodeLikeRequest = { method?: string; body?: unknown };
export type NodeLikeResponse = { statusCode: number; setHeader(name: string, value: string): unknown; end(body: string): unknown };

/**
 * The Express / node:http adapter: `app.post("/avatar-session", createSessionMiddleware({ … }))`. The
 * hooks get the framework's own request (req.cookies, req.user, req.headers). Express is not a
 * dependency: only Node's statusCode/setHeader/end are used.
 */
export function createSessionMiddleware<Req extends NodeLikeRequest, Auth>(options: SessionRouteOptions<Req, Auth>): (req: Req, res: NodeLikeResponse) => Promise<void> {
  return async (req, res) => {
    const answer = await answerSessionRequest(options, req, req.method ?? "GET", () => nodeBody(req));
    res.statusCode = answer.status;
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.end(JSON.stringify(answer.body));
  };
}

/** The JSON body of a Node request: what express.json() (or another parser) left in `req.body`, else read from the stream (≤ 128 KiB) and left there for the hooks. */
async function nodeBody(req: NodeLikeRequest): Promise<unknown> {
  if (req.body !== undefined) return typeof req.body === "string" ? parseOrNull(req.body) : req.body;
  const stream = req as NodeLikeRequest & Partial<AsyncIterable<Uint8Array | string>> & { readableEnded?: boolean };
  if (typeof stream[Symbol.asyncIterator] !== "function" || stream.readableEnded) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > 128 * 1024) throw new SessionRouteRefusal(400, "invalid_transport", "The request body is too large: send at most the transport (an SDP offer is a few KB).");
    chunks.push(bytes);
  }
  const text = new TextDecoder().decode(concat(chunks));
  const parsed = parseOrNull(text);
  req.body = parsed;
  return parsed;
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
