import { CodedError } from "@/core/coded-error";
import type { FrameInput } from "@/core/render/deform";
import type { Rig } from "@/core/render/rig";
import { WorkerRpc } from "../worker-rpc";
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
    private readonly rpc: WorkerRpc<RenderRequest, FromRenderWorker> | null,
    public tier: RenderTier,
  ) {}

  /** Replaces the WebGPU-bound canvas with a fresh one (same attributes) for the CPU tier to draw on. */
  private swapCanvas(): void {
    const old = this.canvasEl;
    if (!old || !this.rpc) return;
    const fresh = old.cloneNode(false) as HTMLCanvasElement;
    old.replaceWith(fresh);
    this.canvasEl = fresh;
    const offscreen = fresh.transferControlToOffscreen();
    this.rpc.post({ type: "canvas", canvas: offscreen } satisfies ToRenderWorker, [offscreen]);
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
    const worker = opts.workerUrl
      ? new Worker(opts.workerUrl, { type: "module" })
      : new Worker(new URL("./render-worker.ts", import.meta.url), { type: "module" });
    const offscreen = canvas.transferControlToOffscreen();
    let client: RenderClient | null = null;
    const rpc = new WorkerRpc<RenderRequest, FromRenderWorker>(worker, {
      error: renderError,
      onEvent: (m) => client?.receive(m, opts),
    });
    client = new RenderClient(rpc, "canvas2d");
    client.canvasEl = canvas;
    let ready: FromRenderWorker;
    try {
      ready = await rpc.request({ type: "init", canvas: offscreen, rig: opts.rig, portrait: opts.portrait, tier: opts.tier, video: opts.video }, [offscreen, ...(opts.video?.frames ?? [])]);
      if (ready.type !== "ready") throw new RenderWorkerError("init_failed", "render worker did not initialise");
    } catch (error) {
      // No renderer in the browser after all (worker blocked, script failed): the server tier, on a
      // fresh canvas since the old one now belongs to the dead worker.
      rpc.terminate();
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
    this.rpc?.post({ type: "mouth", keys, clock } satisfies ToRenderWorker);
  }

  /** Eases into (or out of) the listening pose, in the worker. */
  listening(on: boolean): void {
    this.rpc?.post({ type: "listening", on } satisfies ToRenderWorker);
  }

  /** The mouth rests now, dropping keys still queued (the avatar went idle). */
  rest(): void {
    this.rpc?.post({ type: "rest" } satisfies ToRenderWorker);
  }

  /** Runs the worker's animation loop (it runs from create() on). */
  play(): void {
    this.rpc?.post({ type: "play" } satisfies ToRenderWorker);
  }

  /** Holds the frame on screen; the loop stops drawing until play(). */
  pause(): void {
    this.rpc?.post({ type: "pause" } satisfies ToRenderWorker);
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
    this.rpc.post({ type: "dispose", id: 0 } satisfies ToRenderWorker);
    this.rpc.terminate("renderer disposed");
  }

  private call(msg: Parameters<WorkerRpc<RenderRequest, FromRenderWorker>["request"]>[0]): Promise<FromRenderWorker> {
    if (!this.rpc) return Promise.reject(new RenderWorkerError("server_tier", "the server tier renders nothing in the browser"));
    return this.rpc.request(msg);
  }

  private receive(m: FromRenderWorker, opts: RenderClientOptions): void {
    if (m.type === "stats") this.fps = m.fps;
    if (m.type !== "tier-changed") return;
    this.tier = m.tier;
    if (m.needsCanvas) this.swapCanvas();
    opts.onTierChange?.(m.tier, m.reason);
  }
}
