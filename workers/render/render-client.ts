import { CodedError } from "@/core/coded-error";
import type { FrameInput } from "@/core/render/deform";
import type { Rig } from "@/core/render/rig";
import { WorkerRpc } from "../worker-rpc";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
import type { ClockSync, MouthKey } from "./mouth-timeline";
import type { FromRenderWorker, RenderTier, ToRenderWorker, VideoLoop, WorkerTier } from "./protocol";

export type { RenderTier } from "./protocol";
export type { ClockSync, MouthKey } from "./mouth-timeline";

export type RenderClientOptions = {
  rig: Rig;
  /** The framed portrait (the rig's crop at the output size); decode with colorSpaceConversion "none". */
  portrait: ImageBitmap;
  /**
   * A source-video avatar: its loop frames (decode once with decodeLoopFrames) and plan; `portrait`
   * is then the loop's first frame. The frames are transferred to the worker.
   */
  video?: VideoLoop;
  /** Forces a tier instead of choosing by capability. */
  tier?: RenderTier;
  /** Where the worker bundle lives, for pages not built by Next (the bench harness). */
  workerUrl?: string | URL;
  /** Starts the worker itself (the widget: a same-origin shim importing the worker from our origin). */
  spawn?: () => Worker;
  /** Draw in this page-wide worker beside other renderers (one loop, one GPU device), instead of a worker of its own. */
  shared?: SharedRenderWorker;
  /** Called when the worker leaves WebGPU (device lost, validation error). */
  onTierChange?: (tier: WorkerTier, reason: string) => void;
};

/** Error reported by the render worker (or about it), with its stable code. */
export class RenderWorkerError extends CodedError {
  override name = "RenderWorkerError";
}

/** The messages that expect a reply. */
type RenderRequest = Extract<ToRenderWorker, { id: number }>;

const renderError = (code: string, message: string, cause?: unknown) => new RenderWorkerError(code, message, { cause });

/** Milliseconds on a clock page and worker share (each has its own performance.now() origin). */
export const wallMs = (): number => performance.timeOrigin + performance.now();

type Rpc = WorkerRpc<RenderRequest, FromRenderWorker>;

/**
 * One render worker holding several renderers, each on its own slot: the widget draws every avatar
 * of a page through it, so four avatars cost one worker, one animation loop and one GPU device.
 */
export class SharedRenderWorker {
  readonly rpc: Rpc;
  private nextSlot = 1;
  private readonly slots = new Map<number, (m: FromRenderWorker) => void>();

  constructor(worker: Worker) {
    this.rpc = new WorkerRpc<RenderRequest, FromRenderWorker>(worker, {
      error: renderError,
      onEvent: (m) => this.slots.get("slot" in m && typeof m.slot === "number" ? m.slot : 0)?.(m),
    });
  }

  /** Renderers on it now. */
  get size(): number {
    return this.slots.size;
  }

  /** A fresh slot whose events go to `receive`. */
  take(receive: (m: FromRenderWorker) => void): number {
    const slot = this.nextSlot++;
    this.slots.set(slot, receive);
    return slot;
  }

  release(slot: number): void {
    this.slots.delete(slot);
  }
}

/**
 * Browser side of the renderer: spawns the render worker on the canvas and reports the tier it
 * got. The worker animates on its own display frames; this client only posts state changes
 * (mouth keys with a clock sync, listening, rest, play/pause). `server` means nothing renders
 * here: the page plays frames the server rendered.
 */
export class RenderClient {
  /** Why the worker is not on WebGPU (when it is not), and the GPU adapter it got (when it is). */
  fallbackReason: string | undefined;
  adapter: string | undefined;
  /** Frames the worker's loop drew over the last second (its latest report). */
  fps = 0;

  private canvasEl: HTMLCanvasElement | null = null;

  /** The canvas in the page now (a fresh one after a fallback replaced the transferred canvas). */
  get canvas(): HTMLCanvasElement | null {
    return this.canvasEl;
  }

  private constructor(
    private readonly rpc: Rpc | null,
    public tier: RenderTier,
    /** This renderer's slot in a shared worker; 0 in a worker of its own (messages then carry none). */
    private readonly slot = 0,
    private readonly host: SharedRenderWorker | null = null,
  ) {}

  /** Posts to the worker, addressed to this renderer's slot. */
  private post(msg: DistributiveOmit<ToRenderWorker, "slot">, transfer: Transferable[] = []): void {
    this.rpc?.post(this.slot ? { ...msg, slot: this.slot } : msg, transfer);
  }

  /** Replaces the WebGPU-bound canvas with a fresh one (same attributes) for the CPU tier to draw on. */
  private swapCanvas(): void {
    const old = this.canvasEl;
    if (!old || !this.rpc) return;
    const fresh = old.cloneNode(false) as HTMLCanvasElement;
    old.replaceWith(fresh);
    this.canvasEl = fresh;
    const offscreen = fresh.transferControlToOffscreen();
    this.post({ type: "canvas", canvas: offscreen }, [offscreen]);
  }

  /** The server tier on `canvas`: nothing renders in this browser. */
  private static serverTier(canvas: HTMLCanvasElement, reason: string): RenderClient {
    const c = new RenderClient(null, "server");
    c.canvasEl = canvas;
    c.fallbackReason = reason;
    return c;
  }

  /** Chooses the tier by capability (or the forced one), starts the worker and its loop. */
  static async create(canvas: HTMLCanvasElement, opts: RenderClientOptions): Promise<RenderClient> {
    const canWork = typeof Worker !== "undefined" && typeof canvas.transferControlToOffscreen === "function";
    if (opts.tier === "server" || !canWork) return RenderClient.serverTier(canvas, opts.tier === "server" ? "forced" : "no OffscreenCanvas worker support");
    const offscreen = canvas.transferControlToOffscreen();
    let client: RenderClient | null = null;
    const host = opts.shared ?? null;
    let rpc: Rpc;
    let slot = 0;
    if (host) {
      rpc = host.rpc;
      slot = host.take((m) => client?.receive(m, opts));
    } else {
      const worker = opts.spawn
        ? opts.spawn()
        : opts.workerUrl
          ? new Worker(opts.workerUrl, { type: "module" })
          : new Worker(new URL("./render-worker.ts", import.meta.url), { type: "module" });
      rpc = new WorkerRpc<RenderRequest, FromRenderWorker>(worker, { error: renderError, onEvent: (m) => client?.receive(m, opts) });
    }
    client = new RenderClient(rpc, "canvas2d", slot, host);
    client.canvasEl = canvas;
    let ready: FromRenderWorker;
    try {
      ready = await rpc.request({ type: "init", canvas: offscreen, rig: opts.rig, portrait: opts.portrait, tier: opts.tier, video: opts.video, ...(slot && { slot }) }, [offscreen, ...(opts.video?.frames ?? [])]);
      if (ready.type !== "ready") throw new RenderWorkerError("init_failed", "render worker did not initialise");
    } catch (error) {
      // No renderer in the browser after all (worker blocked, script failed): the server tier, on a
      // fresh canvas since the old one now belongs to the dead worker.
      if (host) host.release(slot);
      else rpc.terminate();
      const fresh = canvas.cloneNode(false) as HTMLCanvasElement;
      canvas.replaceWith(fresh);
      return RenderClient.serverTier(fresh, error instanceof Error ? error.message : String(error));
    }
    client.tier = ready.tier;
    client.fallbackReason = ready.fallbackReason;
    client.adapter = ready.adapter;
    client.play();
    return client;
  }

  /** Mouth keys on the avatar clock; `clock` re-syncs that clock (the audio clock while speaking). */
  mouth(keys: MouthKey[], clock?: ClockSync): void {
    this.post({ type: "mouth", keys, clock });
  }

  /** Eases into (or out of) the listening pose, in the worker. */
  listening(on: boolean): void {
    this.post({ type: "listening", on });
  }

  /** The mouth rests now, dropping keys still queued (the avatar went idle). */
  rest(): void {
    this.post({ type: "rest" });
  }

  /** Runs the worker's animation loop (it runs from create() on). */
  play(): void {
    this.post({ type: "play" });
  }

  /** Holds the frame on screen; the loop stops drawing until play(). */
  pause(): void {
    this.post({ type: "pause" });
  }

  /** Pauses the loop and draws exactly this frame; resolves with the worker's milliseconds once drawn. */
  async still(frame: FrameInput): Promise<number> {
    const r = await this.call({ type: "still", ...frame });
    return r.type === "rendered" ? r.ms : 0;
  }

  /** The frame on screen (RGBA) and the avatar-clock time of its mouth (-1 before any key). */
  async snapshot(): Promise<{ width: number; height: number; t: number; rgba: Uint8Array }> {
    const r = await this.call({ type: "snapshot" });
    if (r.type !== "snapshot") throw new RenderWorkerError("bad_reply", "expected a snapshot");
    return { width: r.width, height: r.height, t: r.t, rgba: new Uint8Array(r.rgba) };
  }

  /** Mean wall milliseconds per frame over `frames` frames, GPU completion included. */
  async bench(frames: number): Promise<number> {
    const r = await this.call({ type: "bench", frames });
    if (r.type !== "bench") throw new RenderWorkerError("bad_reply", "expected bench figures");
    return r.msPerFrame;
  }

  dispose(): void {
    if (!this.rpc) return;
    this.post({ type: "dispose", id: 0 });
    // A shared worker keeps drawing the other avatars; a worker of its own ends with its renderer.
    if (this.host) this.host.release(this.slot);
    else this.rpc.terminate("renderer disposed");
  }

  private call(msg: Parameters<Rpc["request"]>[0]): Promise<FromRenderWorker> {
    if (!this.rpc) return Promise.reject(new RenderWorkerError("server_tier", "the server tier renders nothing in the browser"));
    return this.rpc.request(this.slot ? ({ ...msg, slot: this.slot } as typeof msg) : msg);
  }

  private receive(m: FromRenderWorker, opts: RenderClientOptions): void {
    if (m.type === "stats") this.fps = m.fps;
    if (m.type !== "tier-changed") return;
    this.tier = m.tier;
    if (m.needsCanvas) this.swapCanvas();
    opts.onTierChange?.(m.tier, m.reason);
  }
}
