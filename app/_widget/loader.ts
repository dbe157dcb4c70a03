import { checkConfig, readConfig, WIDGET_ATTRIBUTES, WidgetConfigError, type WidgetConfig } from "./config";
import type { AvatarHandle, CoreModule, WidgetEvents, WidgetStatus, WidgetTransportUsed } from "./core-api";
import { buildUi, layoutUi, type WidgetUi } from "./widget-ui";

// widget.js: defines <tic-avatar> and nothing else until an avatar is used; the core chunk (player,
// session, renderer client) is imported from our origin on demand, by its content-hashed name.

declare const __TIC_WIDGET_CORE__: string;

// Where this script came from is our origin (a classic script, so currentScript is set while it runs, async or not).
const SCRIPT_ORIGIN = (() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  return src ? new URL(src).origin : location.origin;
})();

let core: Promise<CoreModule> | null = null;
const loadCore = (base: string) => (core ??= import(/* @vite-ignore */ `${base}/widget/${__TIC_WIDGET_CORE__}`) as Promise<CoreModule>);

// One AudioContext for every avatar on the page, created and resumed by the first gesture anywhere
// on it (Chrome's and Safari's autoplay rules start audio only from one).
let audio: AudioContext | null = null;
const audioContext = () => (audio ??= new AudioContext());
const unlock = () => void audioContext().resume().catch(() => undefined);
for (const type of ["pointerdown", "keydown", "touchend"]) document.addEventListener(type, unlock, { capture: true, passive: true });

const LABEL: Record<WidgetStatus, string> = {
  idle: "idle", loading: "loading", connecting: "connecting…", listening: "listening", thinking: "thinking…",
  speaking: "speaking", reconnecting: "reconnecting…", ended: "ended", error: "error",
};

/** The <tic-avatar> custom element (docs/widget.md). */
export class TicAvatarElement extends HTMLElement {
  static observedAttributes = [...WIDGET_ATTRIBUTES];
  private ui: WidgetUi | null = null;
  private handle: AvatarHandle | null = null;
  private creating: Promise<AvatarHandle> | null = null;
  private config: WidgetConfig | null = null;
  private statusNow: WidgetStatus = "idle";
  private transportNow: WidgetTransportUsed | null = null;

  /** The state shown in the badge. */
  get status(): WidgetStatus {
    return this.statusNow;
  }

  /** The transport the live session uses (`webrtc` or `websocket`; also data-transport), null before one connected. */
  get transport(): WidgetTransportUsed | null {
    return this.transportNow;
  }

  connectedCallback(): void {
    this.ui ??= buildUi(this);
    const ui = this.ui;
    this.configure();
    ui.start.onclick = () => void this.start().catch(() => undefined);
    ui.interrupt.onclick = () => this.interrupt();
    ui.end.onclick = () => this.end();
    // Audio mode draws the avatar at once (nothing to start); the others wait for start() or a click.
    if (this.config?.mode === "audio") void this.start().catch(() => undefined);
  }

  disconnectedCallback(): void {
    this.handle?.dispose();
    this.handle = null;
    this.creating = null;
  }

  attributeChangedCallback(): void {
    if (this.ui && !this.handle) this.configure();
  }

  /** Connects (conversation: opens the microphone; speak: the session for speak()). */
  async start(): Promise<void> {
    if (audio?.state !== "running") unlock();
    const h = await this.avatar();
    await h.start();
  }

  end(): void {
    this.handle?.end();
  }

  /** Speak mode: the avatar says `text` verbatim (starting the session first if needed). */
  async speak(text: string): Promise<void> {
    const h = await this.avatar();
    await h.speak(text);
  }

  interrupt(): void {
    this.handle?.interrupt();
  }

  /** Audio mode: lipsyncs audio the page already plays, entirely in this browser. */
  async attachAudio(source: MediaStream | HTMLMediaElement): Promise<void> {
    const h = await this.avatar();
    await h.attachAudio(source);
  }

  /** The renderer's frame rate and tier (for pages that show diagnostics, and the tests). */
  stats(): ReturnType<AvatarHandle["stats"]> | null {
    return this.handle?.stats() ?? null;
  }

  /** The frame on screen read back from the renderer (tests). */
  snapshot(): ReturnType<AvatarHandle["snapshot"]> {
    if (!this.handle) return Promise.reject(new Error("the avatar is not drawn yet"));
    return this.handle.snapshot();
  }

  private configure(): void {
    const ui = this.ui!;
    const c = readConfig(this, SCRIPT_ORIGIN);
    this.config = c;
    layoutUi(this, ui, c);
    ui.interrupt.hidden = c.mode === "audio";
    ui.start.hidden = c.mode === "audio";
    ui.message.textContent = c.greeting ?? (c.mode === "audio" ? "Loading the avatar…" : "Press start to talk with the avatar.");
    ui.message.hidden = false;
    // A mistake in the attributes shows at once, not on the first click.
    try {
      checkConfig(c);
    } catch (e) {
      const err = e as WidgetConfigError;
      this.onCore("error", { code: err.code, message: err.message, retryable: false });
    }
  }

  private avatar(): Promise<AvatarHandle> {
    if (this.handle) return Promise.resolve(this.handle);
    if (this.creating) return this.creating;
    const ui = this.ui ?? (this.ui = buildUi(this));
    const c = this.config ?? readConfig(this, SCRIPT_ORIGIN);
    this.creating = (async () => {
      try {
        checkConfig(c);
        this.setStatus("loading");
        const mod = await loadCore(c.apiBase).catch((e: unknown) => {
          throw new WidgetConfigError("widget_load_failed", `The widget could not load from ${c.apiBase} (${e instanceof Error ? e.message : String(e)}).`);
        });
        const h = mod.createAvatar({ config: c, stage: ui.stage, audioContext: audioContext(), emit: (t, d) => this.onCore(t, d) });
        this.handle = h;
        return h;
      } catch (e) {
        this.creating = null;
        const err = e as { code?: string; message?: string };
        this.onCore("error", { code: err.code ?? "widget_failed", message: err.message ?? String(e), retryable: false });
        throw e;
      }
    })();
    return this.creating;
  }

  private setStatus(s: WidgetStatus, transport?: WidgetTransportUsed): void {
    if (transport && transport !== this.transportNow) {
      this.transportNow = transport;
      this.dataset.transport = transport;
    } else if (s === this.statusNow) return;
    this.statusNow = s;
    const ui = this.ui!;
    ui.badge.dataset.state = s;
    ui.badge.textContent = LABEL[s];
    this.dataset.status = s;
    const live = ["connecting", "listening", "thinking", "speaking", "reconnecting"].includes(s);
    const mode = this.config?.mode;
    ui.start.hidden = mode === "audio" || live;
    ui.end.hidden = mode === "audio" || !live;
    ui.interrupt.hidden = mode === "audio" || !live;
    ui.interrupt.disabled = s !== "speaking";
    this.dispatchEvent(new CustomEvent("status", { detail: { status: s, ...(this.transportNow && { transport: this.transportNow }) }, bubbles: true, composed: true }));
  }

  /** Events from the core: shown in the UI, then dispatched on the element. */
  private onCore<K extends keyof WidgetEvents>(type: K, detail: WidgetEvents[K]): void {
    const ui = this.ui!;
    if (type === "status") {
      const d = detail as WidgetEvents["status"];
      return this.setStatus(d.status, d.transport);
    }
    if (type === "error") {
      const d = detail as WidgetEvents["error"];
      ui.error.textContent = d.message;
      this.dataset.error = d.code;
      // While a dropped connection is being retried the face stays on screen; anything else is the error state.
      if (!(d.retryable && this.statusNow === "reconnecting")) {
        ui.message.textContent = d.message;
        ui.message.hidden = false;
        this.setStatus("error");
      }
    }
    if (type === "ready") {
      const d = detail as WidgetEvents["ready"];
      ui.message.hidden = true;
      ui.error.textContent = "";
      delete this.dataset.error;
      this.dataset.tier = d.tier;
      ui.tier.textContent = d.tier === "webgpu" ? "" : `Drawn on the ${d.tier === "canvas2d" ? "CPU (no WebGPU here" : "server ("}${d.fallbackReason ? `: ${d.fallbackReason}` : ""}).`;
    }
    if (type === "transcript") {
      const d = detail as WidgetEvents["transcript"];
      let line = [...ui.captions.children].find((n) => (n as HTMLElement).dataset.id === d.id) as HTMLElement | undefined;
      if (!line) {
        line = document.createElement("div");
        line.dataset.id = d.id;
        line.dataset.role = d.role;
        line.dataset.testid = "caption";
        ui.captions.append(line);
      }
      line.textContent = `${d.role === "user" ? "You" : "Avatar"}: ${d.text}`;
      line.dataset.final = String(d.final);
      ui.captions.scrollTop = ui.captions.scrollHeight;
    }
    if (type === "ended") this.setStatus("ended");
    // Bubbling, so a page can listen once on document for all its avatars; `error` does not bubble,
    // or it would reach window.onerror and the page's error tracker as if the page had thrown.
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: type !== "error", composed: type !== "error" }));
  }
}

if (!customElements.get("tic-avatar")) customElements.define("tic-avatar", TicAvatarElement);
