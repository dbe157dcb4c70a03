// The <tic-avatar> element's attributes, parsed once per start (docs/widget.md). Plain checks, no
// schema library: this runs in the loader, whose budget is 15 KB gzipped.

export type WidgetMode = "conversation" | "speak" | "audio";
/** `auto`: WebRTC where the browser has RTCPeerConnection, the WebSocket otherwise or when WebRTC fails. */
export type WidgetTransport = "auto" | "webrtc" | "websocket";
export type WidgetConfig = {
  avatarId: string;
  sessionUrl: string | null;
  publishableKey: string | null;
  /** Audio mode: your server's route answering the avatar's render assets (GET /api/v1/avatars/{id}/render-assets, read with your key). */
  assetsUrl: string | null;
  mode: WidgetMode;
  transport: WidgetTransport;
  layout: "inline" | "floating";
  corner: "bottom-right" | "bottom-left" | "top-right" | "top-left";
  size: number;
  greeting: string | null;
  theme: "light" | "dark" | "auto";
  language: string | null;
  /** Our origin: `api-base`, else the origin widget.js was loaded from. */
  apiBase: string;
};

export const WIDGET_ATTRIBUTES = ["avatar-id", "session-url", "publishable-key", "assets-url", "mode", "transport", "layout", "corner", "size", "greeting", "theme", "language", "api-base"] as const;

const oneOf = <T extends string>(v: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);

/** A configuration mistake the page can fix; the widget shows it and emits `error` with its code. */
export class WidgetConfigError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the element's attributes; `scriptOrigin` is where widget.js came from. */
export function readConfig(el: Element, scriptOrigin: string): WidgetConfig {
  const a = (n: string) => el.getAttribute(n)?.trim() || null;
  const size = Number(a("size") ?? 256);
  return {
    avatarId: a("avatar-id") ?? "",
    sessionUrl: a("session-url"),
    publishableKey: a("publishable-key"),
    assetsUrl: a("assets-url"),
    mode: oneOf(a("mode"), ["conversation", "speak", "audio"], "conversation"),
    transport: oneOf(a("transport"), ["auto", "webrtc", "websocket"], "auto"),
    layout: oneOf(a("layout"), ["inline", "floating"], "inline"),
    corner: oneOf(a("corner"), ["bottom-right", "bottom-left", "top-right", "top-left"], "bottom-right"),
    // 96..1024 px: below, the face is unreadable; above, a frame costs more than a CPU tier can draw.
    size: Number.isFinite(size) ? Math.round(Math.min(1024, Math.max(96, size))) : 256,
    greeting: a("greeting"),
    theme: oneOf(a("theme"), ["light", "dark", "auto"], "auto"),
    language: a("language"),
    apiBase: (a("api-base") ?? scriptOrigin).replace(/\/+$/, ""),
  };
}

/** What must hold before anything is requested: an avatar, and a way to a session (or, in audio mode, to the avatar's assets). */
export function checkConfig(c: WidgetConfig): void {
  if (!/^ava_[A-Za-z0-9_-]{4,64}$/.test(c.avatarId)) throw new WidgetConfigError("invalid_avatar_id", `avatar-id "${c.avatarId}" is not an avatar id (ava_…); copy it from the dashboard.`);
  if (c.publishableKey && !c.publishableKey.startsWith("tic_pub_")) throw new WidgetConfigError("invalid_publishable_key", "publishable-key must start with tic_pub_ — never put a secret API key in a page.");
  if (c.mode === "audio") {
    if (!c.assetsUrl && !c.publishableKey) throw new WidgetConfigError("missing_assets_source", 'mode="audio" needs assets-url (your server\'s route answering the avatar\'s render assets) or publishable-key.');
    return;
  }
  if (!c.sessionUrl && !c.publishableKey) throw new WidgetConfigError("missing_session_source", "Set session-url (your server's route that creates the session) or publishable-key (tic_pub_…).");
}
