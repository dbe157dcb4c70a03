import type { Rig } from "@/core/render/rig";
import type { WidgetConfig } from "./config";

// How the widget gets a live session and its avatar's render assets, from the browser, without an
// API key: the customer's session-url (their server creates the session with its secret key) or a
// publishable key (the widget asks our origin itself). Every failure is a coded WidgetError the
// element shows; nothing here trusts the shape of an answer it did not check.

export class WidgetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

/** `sdpAnswer`: the server's SDP answer when the session was created over WebRTC (with the page's offer). */
export type WidgetSession = { sessionId: string; url: string; clientSecret: string; sdpAnswer: string | null };
/** How the page asks to connect: its SDP offer for WebRTC, or the WebSocket. */
export type SessionTransport = { type: "webrtc"; sdp: string } | { type: "websocket" };
export type AvatarAssets = { rig: Rig; portrait: Blob };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Checks a session answer: `{session_id, client_secret: string | {value}, url, transport?: {type: "webrtc", sdp}}` (what POST /api/v1/realtime/sessions answers, or the SDK adapters' subset). */
export function parseSessionAnswer(body: unknown, from: string): WidgetSession {
  const b = isObj(body) ? body : {};
  const secret = typeof b.client_secret === "string" ? b.client_secret : isObj(b.client_secret) ? b.client_secret.value : undefined;
  const id = b.session_id ?? b.id;
  if (typeof id !== "string" || typeof secret !== "string" || !/^tcs_/.test(secret) || typeof b.url !== "string" || !/^wss?:\/\//.test(b.url)) {
    throw new WidgetError("session_bad_response", `${from} did not answer with a session ({session_id, client_secret, url, expires_at}); check what it returns.`);
  }
  const t = isObj(b.transport) ? b.transport : null;
  const sdpAnswer = t?.type === "webrtc" && typeof t.sdp === "string" && t.sdp.startsWith("v=") ? t.sdp : null;
  return { sessionId: id, url: b.url, clientSecret: secret, sdpAnswer };
}

async function readJson(res: Response): Promise<unknown> {
  return res.json().catch(() => null);
}

/** Creates a session the way the element is configured to, over `transport` (the SDP offer goes to session-url or to our create). */
export async function createSession(c: WidgetConfig, transport: SessionTransport): Promise<WidgetSession> {
  const input = c.mode === "conversation" ? "voice" : "text";
  if (c.sessionUrl) {
    let res: Response;
    try {
      // The customer's own route, usually same-origin with the page, so its cookies decide who may talk.
      res = await fetch(c.sessionUrl, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" }, body: JSON.stringify({ avatar_id: c.avatarId, mode: c.mode, input, language: c.language, transport }) });
    } catch (e) {
      throw new WidgetError("session_url_unreachable", `session-url ${c.sessionUrl} could not be reached (${(e as Error).message}).`, true);
    }
    const body = await readJson(res);
    if (!res.ok) {
      const code = isObj(body) && typeof body.code === "string" ? body.code : null;
      if (code === "not_found" || res.status === 404) throw new WidgetError("avatar_not_found", `No avatar ${c.avatarId} for this session (the session-url answered ${res.status}).`);
      throw new WidgetError("session_url_failed", `session-url answered ${res.status}${isObj(body) && typeof body.error === "string" ? `: ${body.error}` : ""}.`, res.status >= 500 || res.status === 429);
    }
    return parseSessionAnswer(body, "session-url");
  }
  let res: Response;
  try {
    res = await fetch(`${c.apiBase}/api/v1/realtime/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${c.publishableKey}` },
      body: JSON.stringify({ avatar_id: c.avatarId, input, outputModality: "audio", render: "client", transport, ...(c.language && { language: c.language }) }),
    });
  } catch (e) {
    throw new WidgetError("network_error", `${c.apiBase} could not be reached (${(e as Error).message}).`, true);
  }
  const body = await readJson(res);
  if (!res.ok) {
    const code = isObj(body) && typeof body.code === "string" ? body.code : "session_failed";
    const message = isObj(body) && typeof body.error === "string" ? body.error : `The session could not start (${res.status}).`;
    if (res.status === 401 || res.status === 403) throw new WidgetError(code === "unauthorized" || code === "forbidden" ? "publishable_key_refused" : code, message);
    if (res.status === 404) throw new WidgetError("avatar_not_found", message);
    throw new WidgetError(code, message, res.status >= 500 || res.status === 429);
  }
  return parseSessionAnswer(body, "POST /api/v1/realtime/sessions");
}

/** The session's avatar: its rig and portrait, read with the client secret (which stays unspent for the socket). */
export function sessionAssets(apiBase: string, s: WidgetSession): Promise<AvatarAssets> {
  return fetchAssets(`${apiBase}/api/widget/session-avatar`, { headers: { authorization: `Bearer ${s.clientSecret}` } }, apiBase, "the session's avatar");
}

/** Reads render assets `{rig, portrait_url}` from `url`, then the portrait (relative URLs are on our origin). */
export async function fetchAssets(url: string, init: RequestInit, apiBase: string, what: string): Promise<AvatarAssets> {
  const res = await fetch(url, init).catch((e: Error) => {
    throw new WidgetError("network_error", `${url} could not be reached (${e.message}).`, true);
  });
  const body = await readJson(res);
  const message = isObj(body) && typeof body.error === "string" ? body.error : `${what} answered ${res.status}`;
  if (!res.ok) {
    // A publishable key's coded refusals (origin_not_allowed, avatar_not_allowed) keep their code: each says what to change.
    const refusal = res.status === 403 && isObj(body) && typeof body.code === "string" && body.code !== "forbidden" ? body.code : "publishable_key_refused";
    const code = res.status === 404 ? "avatar_not_found" : res.status === 401 || res.status === 403 ? refusal : "avatar_unavailable";
    throw new WidgetError(code, `The avatar could not be loaded: ${message}`, res.status >= 500);
  }
  if (isObj(body) && isObj(body.video)) throw new WidgetError("avatar_unsupported", "This is a source-video avatar; the widget draws portrait avatars for now. Use a portrait avatar, or the dashboard's player for video avatars.");
  if (!isObj(body) || !isObj(body.rig) || typeof body.portrait_url !== "string") throw new WidgetError("assets_bad_response", `${what} did not answer with render assets ({rig, portrait_url}).`);
  const portrait = await fetch(new URL(body.portrait_url, apiBase)).then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`portrait answered ${r.status}`))));
  return { rig: body.rig as Rig, portrait };
}
