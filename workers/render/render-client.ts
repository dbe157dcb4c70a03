import { CodedError } from "@/core/coded-error";
import type { IdleInput } from "@/core/render/idle";
import type { MouthParams } from "@/core/render/mouth";
import type { Rig } from "@/core/render/rig";
import type { FromRenderWorker, RenderTier, ToRenderWorker, WorkerTier } from "./protocol";

export type { RenderTier } from "./protocol";

export type RenderClientOptions = {
  rig: Rig;
  /** The framed portrait (the rig's crop at the output size); decode with colorSpaceConversion "none". */
  portrait: ImageBitmap;
  /** Forces a tier instead of choosing by capability. */
  tier?: RenderTier;
  /** Where the worker bundle and the shader live, for pages not built by Next (the bench harness). */
  workerUrl?: string | URL;
  shaderUrl?: string;
  /** Called when the worker leaves WebGPU (device lost, validation error). */
  onTierChange?: (tier: WorkerTier, reason: string) => void;
};

type Pending = { resolve: (m: FromRenderWorker) => void; reject: (e: Error) => void };

/** Error reported by the render worker, with its stable code. */
export class RenderWorkerError extends CodedError {
  override name = "RenderWorkerError";
}

/**
 * Browser side of the renderer: spawns the render worker on the canvas and reports the tier it
 * got. `server` means nothing renders here: the page plays frames the server rendered.
 */
export class RenderClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** Why the worker is not on WebGPU (when it is not), and the GPU adapter it got (when it is). */
  fallbackReason: string | undefined;
  adapter: string | undefined;

  private canvasEl: HTMLCanvasElement | null = null;

  /** The canvas in the page now (a fresh one after a fallback replaced the transferred canvas). */
  get canvas(): HTMLCanvasElement | null {
    return this.canvasEl;
  }

  private set canvas(el: HTMLCanvasElement | null) {
    this.canvasEl = el;
  }

  private constructor(
    private readonly worker: Worker | null,
    public tier: RenderTier,
  ) {}

  /** Replaces the WebGPU-bound canvas with a fresh one (same attributes) for the CPU tier to draw on. */
  private swapCanvas(): void {
    const old = this.canvas;
    if (!old || !this.worker) return;
    const fresh = old.cloneNode(false) as HTMLCanvasElement;
    old.replaceWith(fresh);
    this.canvas = fresh;
    const offscreen = fresh.transferControlToOffscreen();
    this.worker.postMessage({ type: "canvas", canvas: offscreen } satisfies ToRenderWorker, [offscreen]);
  }

  /** Chooses the tier by capability (or the forced one) and starts the worker. */
  static async create(canvas: HTMLCanvasElement, opts: RenderClientOptions): Promise<RenderClient> {
    const canWork = typeof Worker !== "undefined" && typeof canvas.transferControlToOffscreen === "function";
    if (opts.tier === "server" || !canWork) {
      const c = new RenderClient(null, "server");
      c.canvas = canvas;
      c.fallbackReason = opts.tier === "server" ? "forced" : "no OffscreenCanvas worker support";
      return c;
    }
    const worker = opts.workerUrl
      ? new Worker(opts.workerUrl, { type: "module" })
      : new Worker(new URL("./render-worker.ts", import.meta.url), { type: "module" });
    const offscreen = canvas.transferControlToOffscreen();
    const client = new RenderClient(worker, "canvas2d");
    client.canvas = canvas;
    worker.onmessage = (e: MessageEvent<FromRenderWorker>) => client.receive(e.data, opts);
    worker.onerror = (e) => client.failAll(new RenderWorkerError("worker_error", e.message || "render worker failed to load"));
    let ready: FromRenderWorker;
    try {
      ready = await client.request(
        { type: "init", id: 0, canvas: offscreen, rig: opts.rig, portrait: opts.portrait, tier: opts.tier, shaderUrl: opts.shaderUrl },
        [offscreen],
      );
      if (ready.type !== "ready") throw new RenderWorkerError("init_failed", "render worker did not initialise");
    } catch (error) {
      // No renderer in the browser after all (worker blocked, script failed): the server tier, on a
      // fresh canvas since the old one now belongs to the dead worker.
      worker.terminate();
      const c = new RenderClient(null, "server");
      const fresh = canvas.cloneNode(false) as HTMLCanvasElement;
      canvas.replaceWith(fresh);
      c.canvas = fresh;
      c.fallbackReason = error instanceof Error ? error.message : String(error);
      return c;
    }
    client.tier = ready.tier;
    client.fallbackReason = ready.fallbackReason;
    client.adapter = ready.adapter;
    return client;
  }

  /** Draws one frame; fire-and-forget so a page can call it from requestAnimationFrame. */
  frame(mouth: MouthParams, idle: IdleInput): void {
    this.worker?.postMessage({ type: "frame", mouth, idle } satisfies ToRenderWorker);
  }

  /** Draws one frame and resolves once the worker has drawn it. */
  async frameAndWait(mouth: MouthParams, idle: IdleInput): Promise<number> {
    const r = await this.request({ type: "frame", id: 0, mouth, idle });
    return r.type === "rendered" ? r.ms : 0;
  }

  /** The current frame's pixels (RGBA). */
  async snapshot(): Promise<{ width: number; height: number; rgba: Uint8Array }> {
    const r = await this.request({ type: "snapshot", id: 0 });
    if (r.type !== "snapshot") throw new RenderWorkerError("bad_reply", "expected a snapshot");
    return { width: r.width, height: r.height, rgba: new Uint8Array(r.rgba) };
  }

  /** Mean wall milliseconds per frame over `frames` frames, GPU completion included. */
  async bench(frames: number): Promise<number> {
    const r = await this.request({ type: "bench", id: 0, frames });
    if (r.type !== "bench") throw new RenderWorkerError("bad_reply", "expected bench figures");
    return r.msPerFrame;
  }

  dispose(): void {
    if (!this.worker) return;
    this.worker.postMessage({ type: "dispose", id: this.nextId++ } satisfies ToRenderWorker);
    this.worker.terminate();
    this.failAll(new RenderWorkerError("disposed", "renderer disposed"));
  }

  private request(msg: ToRenderWorker, transfer: Transferable[] = []): Promise<FromRenderWorker> {
    if (!this.worker) return Promise.reject(new RenderWorkerError("server_tier", "the server tier renders nothing in the browser"));
    const id = this.nextId++;
    const withId = { ...msg, id } as ToRenderWorker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage(withId, transfer);
    });
  }

  private receive(m: FromRenderWorker, opts: RenderClientOptions): void {
    if (m.type === "tier-changed") {
      this.tier = m.tier;
      if (m.needsCanvas) this.swapCanvas();
      opts.onTierChange?.(m.tier, m.reason);
      return;
    }
    const ref = m.ref;
    if (ref === null) return;
    const p = this.pending.get(ref);
    if (!p) return;
    this.pending.delete(ref);
    if (m.type === "error") p.reject(new RenderWorkerError(m.code, m.message));
    else p.resolve(m);
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
