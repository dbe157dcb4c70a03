/// <reference lib="webworker" />
import { deformFrame, type FrameInput } from "@/core/render/deform";
import { compileRig, type MeshModel } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { Canvas2dRenderer } from "./canvas2d-renderer";
import { parseToRenderWorker, type FromRenderWorker, type ToRenderWorker, type WorkerTier } from "./protocol";
import { WebGpuRenderer, type GpuFailure } from "./webgpu-renderer";

// Dedicated render worker: owns the OffscreenCanvas, deforms the mesh (core/render) and draws
// it with WGSL, falling back to the CPU rasteriser when WebGPU is missing or fails.

type State = {
  model: MeshModel;
  portrait: ImageBitmap;
  canvas: OffscreenCanvas;
  gpu: WebGpuRenderer | null;
  cpu: Canvas2dRenderer | null;
  vertices: Float32Array;
  last: FrameInput;
  shader: string;
};

let state: State | null = null;

const post = (m: FromRenderWorker, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m, transfer);

function tierOf(s: State): WorkerTier {
  return s.gpu ? "webgpu" : "canvas2d";
}

/** Leaves the GPU for the CPU tier; the page swaps in a fresh canvas, as one bound to WebGPU cannot draw 2D. */
function fallBack(s: State, reason: string): void {
  if (!s.gpu) return;
  s.gpu = null;
  s.cpu = Canvas2dRenderer.create(new OffscreenCanvas(s.canvas.width, s.canvas.height), s.model, s.portrait);
  post({ type: "tier-changed", tier: "canvas2d", reason, needsCanvas: true });
  draw(s, s.last);
}

let recovering = false;

/** A lost device is replaced once on the same canvas (driver reset, tab in background); anything else falls back. */
async function onGpuFailure(f: GpuFailure): Promise<void> {
  const s = state;
  if (!s?.gpu) return;
  if (f.kind === "device_lost" && !recovering) {
    recovering = true;
    try {
      s.gpu = await WebGpuRenderer.create(s.canvas, s.model, s.portrait, s.shader, (g) => void onGpuFailure(g));
      draw(s, s.last);
      return;
    } catch {
      // fall through to the CPU tier
    }
  }
  fallBack(s, `${f.kind}: ${f.message}`);
}

function draw(s: State, input: FrameInput): void {
  s.last = input;
  deformFrame(s.model, input, s.vertices);
  if (s.gpu) s.gpu.render(s.vertices);
  else s.cpu!.render(s.vertices);
}

async function init(msg: Extract<ToRenderWorker, { type: "init" }>): Promise<FromRenderWorker> {
  const model = compileRig(msg.rig);
  const s: State = {
    model,
    portrait: msg.portrait,
    canvas: msg.canvas,
    gpu: null,
    cpu: null,
    vertices: new Float32Array(model.template.length),
    last: { mouth: RESTING_MOUTH, idle: { timeSec: 0, listening: 0 } },
    shader: "",
  };
  let fallbackReason: string | undefined;
  if (msg.tier !== "canvas2d") {
    try {
      const url = msg.shaderUrl ?? new URL("./mesh.wgsl", import.meta.url).href;
      s.shader = await (await fetch(url)).text();
      s.gpu = await WebGpuRenderer.create(msg.canvas, model, msg.portrait, s.shader, (f) => void onGpuFailure(f));
    } catch (e) {
      fallbackReason = e instanceof Error ? e.message : String(e);
    }
  }
  if (!s.gpu) s.cpu = Canvas2dRenderer.create(msg.canvas, model, msg.portrait);
  state = s;
  draw(s, s.last);
  return { type: "ready", ref: msg.id, tier: tierOf(s), fallbackReason, adapter: s.gpu?.adapterName };
}

async function handle(msg: ToRenderWorker): Promise<FromRenderWorker | null> {
  if (msg.type === "init") return init(msg);
  const s = state;
  if (!s) return { type: "error", ref: "id" in msg ? (msg.id ?? null) : null, code: "not_initialised", message: "Send init before frames." };
  switch (msg.type) {
    case "frame": {
      const t0 = performance.now();
      draw(s, { mouth: msg.mouth, idle: msg.idle });
      return msg.id === undefined ? null : { type: "rendered", ref: msg.id, ms: performance.now() - t0 };
    }
    case "canvas":
      s.canvas = msg.canvas;
      if (!s.gpu) s.cpu = Canvas2dRenderer.create(msg.canvas, s.model, s.portrait);
      draw(s, s.last);
      return null;
    case "snapshot": {
      deformFrame(s.model, s.last, s.vertices);
      const rgba = s.gpu ? await s.gpu.renderAndRead(s.vertices) : s.cpu!.renderAndRead(s.vertices);
      return { type: "snapshot", ref: msg.id, width: s.canvas.width, height: s.canvas.height, rgba: rgba.buffer as ArrayBuffer };
    }
    case "bench": {
      // Wall time per frame including the GPU finishing its work, not just command submission.
      const warm = Math.min(10, msg.frames);
      const frame = (i: number): FrameInput => ({
        mouth: { ...RESTING_MOUTH, jawOpen: (i % 12) / 12, lipWidth: 0.3 },
        idle: { timeSec: i / 25, listening: 0 },
      });
      for (let i = 0; i < warm; i++) draw(s, frame(i));
      if (s.gpu) await s.gpu.done();
      const t0 = performance.now();
      for (let i = 0; i < msg.frames; i++) {
        draw(s, frame(i));
        if (s.gpu) await s.gpu.done();
      }
      return { type: "bench", ref: msg.id, frames: msg.frames, msPerFrame: (performance.now() - t0) / msg.frames };
    }
    case "dispose":
      s.gpu?.dispose();
      state = null;
      return { type: "disposed", ref: msg.id };
  }
}

self.onmessage = (e: MessageEvent<unknown>) => {
  const parsed = parseToRenderWorker(e.data);
  if (!parsed.ok) {
    post({ type: "error", ref: parsed.id, code: "bad_message", message: parsed.reason });
    return;
  }
  const msg = parsed.msg;
  handle(msg).then(
    (reply) => {
      if (!reply) return;
      post(reply, reply.type === "snapshot" ? [reply.rgba] : []);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      post({ type: "error", ref: "id" in msg && msg.id !== undefined ? msg.id : null, code: "render_failed", message });
    },
  );
};
