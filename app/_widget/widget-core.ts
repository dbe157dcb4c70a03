import { AvatarPlayer, RealtimeSession, type StartedSession, type StartSession } from "@/packages/sdk/src";
import { RenderClient, SharedRenderWorker } from "@/workers/render/render-client";
import { toBase64 } from "@/workers/test-hooks";
import { lipsyncWorker, type LipsyncSource } from "../_stage/lipsync";
import { framePortrait } from "../_stage/frame-portrait";
import { RenderClientSink } from "../_stage/render-sink";
import { stageGeometry } from "../_stage/stage-geometry";
import { tapAudio, type AudioTap } from "./audio-tap";
import type { AvatarHandle, CoreOptions, CoreModule, WidgetTransportUsed } from "./core-api";
import { LateSink } from "./late-sink";
import { assertMicrophoneAllowed, microphoneError } from "./mic-errors";
import { reconnectDelayMs, RECONNECT_ATTEMPTS } from "./reconnect";
import { createSession, fetchAssets, sessionAssets, WidgetError, type AvatarAssets } from "./session-source";
import { spawnModuleWorker } from "./worker-spawn";

// The core chunk of the widget: one avatar = the stage's renderer (render worker, WebGPU or the
// canvas2d tier), the SDK's AvatarPlayer and RealtimeSession, and in audio mode the page's shared
// lipsync worker. The same pieces the dashboard's Talk and Speak use; only the wiring is here.

declare const __TIC_WIDGET_ASSETS__: { renderWorker: string; lipsyncWorker: string; ortDir: string; model: string };

/** The SDK's transport choice for the `transport` attribute: `auto` tries WebRTC only where the browser has it. */
function transportChoice(wanted: CoreOptions["config"]["transport"]): "auto" | "webrtc" | "websocket" {
  if (wanted === "auto" && typeof RTCPeerConnection === "undefined") return "websocket";
  return wanted;
}

// Every avatar of the page draws through one render worker (one loop, one GPU device) and lipsyncs
// through one lipsync worker (app/_stage/lipsync.ts keeps that one per page).
let renderHost: SharedRenderWorker | null = null;
function sharedRenderWorker(url: string): SharedRenderWorker {
  if (!renderHost || renderHost.rpc.failure) renderHost = new SharedRenderWorker(spawnModuleWorker(url));
  return renderHost;
}

function createAvatar(o: CoreOptions): AvatarHandle {
  const { config: c, emit } = o;
  const asset = (name: string) => `${c.apiBase}/widget/${name}`;
  const lipsync: LipsyncSource = { spawn: () => spawnModuleWorker(asset(__TIC_WIDGET_ASSETS__.lipsyncWorker)), modelUrl: asset(__TIC_WIDGET_ASSETS__.model), wasmPaths: asset(__TIC_WIDGET_ASSETS__.ortDir) };
  let renderer: Promise<{ client: RenderClient; sink: RenderClientSink }> | null = null;
  let session: RealtimeSession | null = null;
  let tap: AudioTap | null = null;
  let keys = 0;
  let userEnded = false;
  let attempts = 0;
  let disposed = false;
  // The renderer once built, for the synchronous stats() probe.
  let current: RenderClient | null = null;
  /** What the session was created over (the `ready` event's transport); the one in use comes with `status` once connected. */
  let createdOver: WidgetTransportUsed | null = null;

  const fail = (e: unknown) => {
    const w = e as { code?: string; message?: string; retryable?: boolean };
    emit("error", { code: w.code ?? "widget_failed", message: w.message ?? String(e), retryable: w.retryable ?? false });
  };

  /** Builds the renderer on the avatar's rig and portrait (once per element; a reconnect keeps it). */
  function draw(assets: AvatarAssets) {
    return (renderer ??= (async () => {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = c.size;
      canvas.dataset.testid = "avatar-canvas";
      const g = stageGeometry(assets.rig, c.size);
      canvas.dataset.mouthBox = g.mouthBox.join(",");
      o.stage.prepend(canvas);
      const framed = await framePortrait(assets.rig, assets.portrait, c.size);
      const client = await RenderClient.create(canvas, {
        rig: assets.rig,
        portrait: framed,
        shared: sharedRenderWorker(asset(__TIC_WIDGET_ASSETS__.renderWorker)),
        onTierChange: (tier, reason) => emit("ready", { tier, fallbackReason: reason, transport: session?.transport ?? createdOver, mode: c.mode }),
      });
      if (disposed) client.dispose();
      current = client;
      emit("ready", { tier: client.tier, fallbackReason: client.fallbackReason ?? null, transport: createdOver, mode: c.mode });
      return { client, sink: new RenderClientSink(client) };
    })().catch((e: unknown) => {
      renderer = null;
      throw new WidgetError("renderer_failed", `The avatar could not be drawn: ${(e as Error).message ?? String(e)}`);
    }));
  }

  /** The microphone, asked for before any session is created (a refusal must not cost one); kept across reconnects. */
  let mic: MediaStream | null = null;
  async function microphone(): Promise<MediaStream> {
    if (mic?.active) return mic;
    assertMicrophoneAllowed();
    mic = await navigator.mediaDevices
      .getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } })
      .catch((e: unknown) => {
        throw microphoneError(e);
      });
    return mic;
  }
  const releaseMic = () => {
    for (const t of mic?.getTracks() ?? []) t.stop();
    mic = null;
  };

  async function connect(): Promise<void> {
    emit("status", { status: attempts ? "reconnecting" : "connecting" });
    const stream = c.mode === "conversation" ? await microphone() : null;
    // The avatar is drawn once the first session answered (its client secret reads the avatar), so
    // the player starts on a sink that is pointed at the renderer then.
    const sink = new LateSink();
    // The SDK asks for the session over the transport it chose (WebRTC: with the browser's offer).
    // A refusal (unknown avatar, a key or origin refused) is not WebRTC failing: the WebSocket
    // fallback must not ask again. An answer without an SDP answer (a session-url that does not pass
    // `transport` through) is a WebSocket session already: the fallback uses it, creating no other.
    let refused: unknown = null;
    let spare: StartedSession | null = null;
    const start: StartSession = async (transport) => {
      if (refused) throw refused;
      if (transport.type === "websocket" && spare) return spare;
      try {
        const s = await createSession(c, transport);
        createdOver = s.sdpAnswer ? "webrtc" : "websocket";
        sink.target = (await draw(await sessionAssets(c.apiBase, s))).sink;
        const started: StartedSession = { url: s.url, client_secret: { value: s.clientSecret }, ...(s.sdpAnswer && { transport: { type: "webrtc", sdp: s.sdpAnswer } }) };
        if (transport.type === "webrtc" && !s.sdpAnswer) spare = started;
        return started;
      } catch (e) {
        refused = e;
        throw e;
      }
    };
    await o.audioContext.resume().catch(() => undefined);
    const player = new AvatarPlayer({ sink, audioContext: o.audioContext });
    const rs = new RealtimeSession({ start, transport: transportChoice(c.transport), player, audioContext: o.audioContext });
    session = rs;
    rs.on("status", (status) => emit("status", { status: status === "idle" ? "listening" : status, ...(rs.transport && { transport: rs.transport }) }));
    rs.on("user_transcript", (t) => emit("transcript", { role: "user", id: t.itemId, text: t.text, final: t.final }));
    const replies = new Map<string, string>();
    rs.on("text", (t) => {
      replies.set(t.responseId, t.text);
      emit("transcript", { role: "assistant", id: t.responseId, text: t.text, final: false });
    });
    rs.on("done", (r) => {
      const text = replies.get(r.id);
      replies.delete(r.id);
      if (text !== undefined) emit("transcript", { role: "assistant", id: r.id, text, final: true });
    });
    rs.on("error", (e) => emit("error", { code: e.code, message: e.message, retryable: e.retryable }));
    rs.on("ended", (e) => emit("ended", { reason: e.reason }));
    rs.on("close", (ev) => {
      if (session !== rs) return;
      session = null;
      // 1000: ended normally; 4003: the session had ended. Anything else is a drop: get a new session.
      if (userEnded || ev.code === 1000 || ev.code === 4003 || disposed) {
        releaseMic();
        return emit("status", { status: "ended" });
      }
      void reconnect(ev);
    });
    await rs.connect();
    attempts = 0;
    if (stream) await rs.startMicrophone(stream);
    emit("status", { status: "listening", transport: rs.transport ?? "websocket" });
  }

  async function reconnect(ev: { code: number; reason: string }): Promise<void> {
    if (attempts >= RECONNECT_ATTEMPTS) return fail(new WidgetError("connection_lost", `The connection closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ""}) and could not be re-established.`));
    const wait = reconnectDelayMs(attempts++);
    emit("status", { status: "reconnecting" });
    emit("error", { code: "connection_dropped", message: `The connection dropped (${ev.code}); reconnecting in ${Math.round(wait / 1000)} s…`, retryable: true });
    await new Promise((r) => setTimeout(r, wait));
    if (userEnded || disposed) return;
    await connect().catch((e: unknown) => ((e as WidgetError).retryable ? reconnect({ code: 0, reason: (e as Error).message }) : fail(e)));
  }

  let starting: Promise<void> | null = null;
  const handle: AvatarHandle = {
    start() {
      // Audio mode has nothing to connect: the avatar is drawn from its render assets, read once.
      if (c.mode === "audio")
        return audioAssets()
          .then(draw)
          // The model and runtime load now, after the first frame: attaching audio later fetches nothing more.
          .then(() => lipsyncWorker(lipsync))
          .then(() => emit("status", { status: "idle" }))
          .catch((e: unknown) => {
            fail(e);
            throw e;
          });
      if (session) return Promise.resolve();
      userEnded = false;
      return (starting ??= connect()
        .catch((e: unknown) => {
          fail(e);
          throw e;
        })
        .finally(() => (starting = null)));
    },
    end() {
      userEnded = true;
      releaseMic();
      tap?.stop();
      tap = null;
      session?.close();
      session = null;
      emit("ended", { reason: "client_ended" });
    },
    async speak(text) {
      if (c.mode !== "speak") throw new WidgetError("wrong_mode", 'speak() needs mode="speak".');
      await handle.start();
      session?.speak(text);
    },
    interrupt() {
      session?.interrupt();
    },
    async attachAudio(source) {
      try {
        if (c.mode !== "audio") throw new WidgetError("wrong_mode", 'attachAudio() needs mode="audio".');
        const { client } = await draw(await audioAssets());
        tap?.stop();
        tap = await tapAudio({ source, audioContext: o.audioContext, client, lipsync, onKeys: (n) => (keys += n) });
        emit("status", { status: "speaking" });
      } catch (e) {
        fail(e);
        throw e;
      }
    },
    stats() {
      return { fps: 0, tier: "none", mouthKeys: keys, ...(current && { fps: current.fps, tier: current.tier }) };
    },
    async snapshot() {
      if (!renderer) throw new WidgetError("not_ready", "the avatar is not drawn yet");
      const { width, height, t, rgba } = await (await renderer).sink.snapshot();
      return { width, height, t, rgba: toBase64(rgba) };
    },
    dispose() {
      disposed = true;
      handle.end();
      void renderer?.then((r) => r.client.dispose()).catch(() => undefined);
      // The canvas belonged to this renderer's slot; an element put back on the page draws a new one.
      for (const c of o.stage.querySelectorAll("canvas")) c.remove();
    },
  };

  /** Audio mode: the avatar's render assets, read once (your assets-url, or our origin with the publishable key); no session. */
  let audioRead: Promise<AvatarAssets> | null = null;
  function audioAssets(): Promise<AvatarAssets> {
    return (audioRead ??= readAudioAssets().catch((e: unknown) => {
      audioRead = null;
      throw e;
    }));
  }
  async function readAudioAssets(): Promise<AvatarAssets> {
    const url = c.assetsUrl ?? `${c.apiBase}/api/v1/avatars/${encodeURIComponent(c.avatarId)}/render-assets`;
    const init: RequestInit = c.assetsUrl ? { credentials: "same-origin" } : { headers: { authorization: `Bearer ${c.publishableKey}` } };
    return fetchAssets(url, init, c.apiBase, c.assetsUrl ? "assets-url" : "render-assets");
  }

  return handle;
}

export const widgetCore: CoreModule = { createAvatar };
export { createAvatar };
