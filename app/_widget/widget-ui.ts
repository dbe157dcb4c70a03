import type { WidgetConfig } from "./config";

// The widget's shadow DOM: the stage (the renderer's canvas goes in it), a state badge, the buttons
// and the captions. Everything a user can do is a <button> (tab, Enter, Space work natively); the
// captions are an aria-live region; an error is a visible message with role=alert, never a blank box.

const CSS = `
:host{display:inline-block;font:14px/1.35 system-ui,sans-serif;--bg:#fff;--fg:#111;--mut:#666;--acc:#2563eb;--err:#b91c1c}
:host([data-theme=dark]){--bg:#18181b;--fg:#f4f4f5;--mut:#a1a1aa;--acc:#60a5fa;--err:#f87171}
@media (prefers-color-scheme:dark){:host([data-theme=auto]){--bg:#18181b;--fg:#f4f4f5;--mut:#a1a1aa;--acc:#60a5fa;--err:#f87171}}
:host([data-layout=floating]){position:fixed;z-index:2147483000;margin:16px}
:host([data-corner=bottom-right]){bottom:0;right:0}:host([data-corner=bottom-left]){bottom:0;left:0}
:host([data-corner=top-right]){top:0;right:0}:host([data-corner=top-left]){top:0;left:0}
.w{background:var(--bg);color:var(--fg);border-radius:12px;box-shadow:0 2px 12px #0003;padding:8px;box-sizing:border-box}
.s{position:relative;border-radius:8px;overflow:hidden;background:#222}
.s canvas{display:block;width:100%;height:100%}
.b{position:absolute;left:6px;top:6px;padding:2px 8px;border-radius:99px;background:#000a;color:#fff;font-size:12px}
.b[data-state=listening]{background:#15803dd0}.b[data-state=thinking]{background:#a16207d0}.b[data-state=speaking]{background:#1d4ed8d0}.b[data-state=error]{background:#b91c1cd0}
.m{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;text-align:center;padding:12px;color:#fff;background:#000b}
.m[hidden]{display:none}
.r{display:flex;gap:6px;margin-top:8px;flex-wrap:wrap}
button{font:inherit;border:1px solid var(--acc);background:var(--acc);color:#fff;border-radius:8px;padding:6px 12px;cursor:pointer}
button.sec{background:transparent;color:var(--acc)}
button:focus-visible{outline:3px solid var(--acc);outline-offset:2px}
button[hidden]{display:none}button:disabled{opacity:.5;cursor:default}
.c{min-height:1.4em;margin-top:6px;color:var(--mut);max-height:6em;overflow:auto}
.e{color:var(--err);margin-top:6px}.e:empty{display:none}
.t{font-size:11px;color:var(--mut);margin-top:4px}`;

export type WidgetUi = {
  root: ShadowRoot;
  stage: HTMLDivElement;
  badge: HTMLSpanElement;
  message: HTMLDivElement;
  start: HTMLButtonElement;
  interrupt: HTMLButtonElement;
  end: HTMLButtonElement;
  captions: HTMLDivElement;
  error: HTMLDivElement;
  tier: HTMLDivElement;
};

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, text = ""): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.textContent = text;
  return e;
};

/** Builds the shadow DOM once per element. */
export function buildUi(host: HTMLElement): WidgetUi {
  const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  const style = el("style", {}, CSS);
  const wrap = el("div", { class: "w", part: "widget" });
  const stage = el("div", { class: "s", part: "stage", "data-testid": "stage" });
  const badge = el("span", { class: "b", "data-testid": "state", "data-state": "idle" }, "idle");
  const message = el("div", { class: "m", "data-testid": "message" }, "Loading…");
  stage.append(message, badge);
  const row = el("div", { class: "r" });
  const start = el("button", { type: "button", "data-testid": "start" }, "Start");
  const interrupt = el("button", { type: "button", class: "sec", "data-testid": "interrupt", hidden: "" }, "Interrupt");
  const end = el("button", { type: "button", class: "sec", "data-testid": "end", hidden: "" }, "End");
  row.append(start, interrupt, end);
  const captions = el("div", { class: "c", "aria-live": "polite", role: "log", "data-testid": "captions" });
  const error = el("div", { class: "e", role: "alert", "data-testid": "error" });
  const tier = el("div", { class: "t", "data-testid": "tier" });
  wrap.append(stage, row, captions, error, tier);
  root.replaceChildren(style, wrap);
  return { root, stage, badge, message, start, interrupt, end, captions, error, tier };
}

/** Applies size, layout and theme from the attributes (host attributes drive the CSS above). */
export function layoutUi(host: HTMLElement, ui: WidgetUi, c: WidgetConfig): void {
  host.dataset.layout = c.layout;
  host.dataset.corner = c.corner;
  host.dataset.theme = c.theme;
  Object.assign(ui.stage.style, { width: `${c.size}px`, height: `${c.size}px` });
  ui.start.textContent = c.mode === "conversation" ? "🎤 Talk" : c.mode === "speak" ? "Start" : "Load";
  ui.start.setAttribute("aria-label", c.mode === "conversation" ? "Start a conversation (uses your microphone)" : "Start the avatar");
}
