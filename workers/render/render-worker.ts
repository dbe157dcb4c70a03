/// <reference lib="webworker" />
import { deformFrame, type FrameInput } from "@/core/render/deform";
import { compileRig, type MeshModel } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { cavityPalette, paletteFromImage, type CavityPalette } from "@/core/render/mouth-palette";
import { loopFrameAt } from "@/core/video/loop-plan";
import { videoFrameVertices } from "@/core/video/video-frames";
import { Canvas2dRenderer, portraitBytes } from "./canvas2d-renderer";
import { FrameLoop, frameClock } from "./frame-loop";
import { MouthTimeline } from "./mouth-timeline";
import { parseToRenderWorker, type FromRenderWorker, type ToRenderWorker, type VideoLoop, type WorkerTier } from "./protocol";
import { WebGpuRenderer, type GpuFailure } from "./webgpu-renderer";

// Render worker: owns the OffscreenCanvas, runs the animation loop on its own display frames,
// deforms the mesh (core/render) and draws it with WGSL, falling back to the CPU rasteriser when
// WebGPU is missing or fails. The page only posts state changes. One worker can hold several
// renderers (`slot` in every message): the widget draws all avatars of a page from one worker, one
// loop and one GPU device (webgpu-renderer.ts shares the device within the worker).

type State = {
  slot: number;
  model: MeshModel;
  portrait: ImageBitmap;
  /** Inner-mouth colours: the rig's sampled tones, or this portrait's for a rig from before palettes. */
  palette: CavityPalette;
  canvas: OffscreenCanvas;
  gpu: WebGpuRenderer | null;
  cpu: Canvas2dRenderer | null;
  vertices: Float32Array;
  /** The frame on screen and the avatar-clock time of its mouth (snapshots re-draw it). */
  last: FrameInput;
  lastT: number;
  timeline: MouthTimeline;
  /** A source-video avatar: its loop, the frames' pixels for the CPU tier (read on first use), the frame in the texture. */
  video: (VideoLoop & { pixels: (Uint8Array | undefined)[]; shown: number }) | null;
};

const states = new Map<number, State>();

const post = (m: FromRenderWorker, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m, transfer);
/** Milliseconds on a clock page and worker share (each has its own performance.now() origin). */
const wallMs = () => performance.timeOrigin + performance.now();

function tierOf(s: State): WorkerTier {
  return s.gpu ? "webgpu" : "canvas2d";
}

/** Leaves the GPU for the CPU tier; the page swaps in a fresh canvas, as one bound to WebGPU cannot draw 2D. */
function fallBack(s: State, reason: string): void {
  if (!s.gpu) return;
  s.gpu = null;
  s.cpu = Canvas2dRenderer.create(new OffscreenCanvas(s.canvas.width, s.canvas.height), s.model, s.portrait);
  if (s.video) s.video.shown = -1;
  post({ type: "tier-changed", tier: "canvas2d", reason, needsCanvas: true, ...slotOf(s) });
  draw(s, s.last, s.lastT);
}

/** Dedicated workers' messages stay as they were (no slot); a shared worker's carry theirs. */
const slotOf = (s: State) => (s.slot ? { slot: s.slot } : {});

const recovered = new Set<number>();

/** A lost device is replaced once on the same canvas (driver reset, tab in background); anything else falls back. */
async function onGpuFailure(s: State, f: GpuFailure): Promise<void> {
  if (!s.gpu || states.get(s.slot) !== s) return;
  if (f.kind === "device_lost" && !recovered.has(s.slot)) {
    recovered.add(s.slot);
    try {
      s.gpu = await WebGpuRenderer.create(s.canvas, s.model, s.portrait, s.palette, (g) => void onGpuFailure(s, g));
      if (s.video) {
        s.gpu.useLoop(s.video.frames);
        s.video.shown = -1;
      }
      draw(s, s.last, s.lastT);
      return;
    } catch {
      // fall through to the CPU tier
    }
  }
  fallBack(s, `${f.kind}: ${f.message}`);
}

/**
 * The vertex buffer of a frame into `out`; for a source video also puts the loop frame of the
 * avatar clock's time in the texture, and answers null when the mouth rests (the frame untouched).
 */
function frameVertices(s: State, input: FrameInput, out: Float32Array): Float32Array | null {
  const v = s.video;
  if (!v) return deformFrame(s.model, input, out);
  const k = loopFrameAt(v.plan, Math.floor(input.idle.timeSec * v.plan.output.fps + 1e-6)) % v.frames.length;
  if (v.shown !== k) {
    if (s.gpu) s.gpu.showFrame(k);
    else s.cpu!.setTexture((v.pixels[k] ??= Canvas2dRenderer.readPixels(v.frames[k]!)));
    v.shown = k;
  }
  return videoFrameVertices(s.model, v.plan, k, input.mouth, out) ? out : null;
}

function draw(s: State, input: FrameInput, t: number): void {
  s.last = input;
  s.lastT = t;
  const vertices = frameVertices(s, input, s.vertices);
  if (s.gpu) s.gpu.render(vertices);
  else s.cpu!.render(vertices);
}

// Frame times of the last second per renderer, for the page's fps figures.
const drawn = new Map<number, number[]>();
let statsAt = 0;
/** Renderers whose loop is on (play); paused ones hold their frame. */
const playing = new Set<number>();

const loop = new FrameLoop(
  frameClock(),
  () => {
    const now = wallMs();
    for (const s of states.values()) {
      if (!playing.has(s.slot) || s.gpu?.busy) continue;
      const { input, t } = s.timeline.frameAt(now);
      draw(s, input, t);
      const times = drawn.get(s.slot) ?? [];
      times.push(now);
      drawn.set(s.slot, times);
    }
    if (now - statsAt >= 1000) {
      statsAt = now;
      for (const s of states.values()) {
        const times = (drawn.get(s.slot) ?? []).filter((d) => d > now - 1000);
        drawn.set(s.slot, times);
        if (playing.has(s.slot)) post({ type: "stats", fps: times.length, ...slotOf(s) });
      }
    }
  },
  (error) => post({ type: "error", ref: null, code: "render_failed", message: error instanceof Error ? error.message : String(error) }),
);

/** Runs the loop while any renderer plays. */
function setPlaying(slot: number, on: boolean): void {
  if (on) playing.add(slot);
  else playing.delete(slot);
  if (playing.size) loop.play();
  else loop.pause();
}

async function init(msg: Extract<ToRenderWorker, { type: "init" }>, slot: number): Promise<FromRenderWorker> {
  setPlaying(slot, false);
  const model = compileRig(msg.rig);
  const p = msg.portrait;
  const palette = cavityPalette(model.rig.mouth.palette ?? paletteFromImage(model.rig, { width: p.width, height: p.height, data: portraitBytes(p) }));
  const s: State = {
    slot,
    model,
    portrait: msg.portrait,
    palette,
    canvas: msg.canvas,
    gpu: null,
    cpu: null,
    vertices: new Float32Array(model.template.length),
    last: { mouth: RESTING_MOUTH, idle: { timeSec: 0, listening: 0 } },
    lastT: -1,
    timeline: new MouthTimeline(wallMs()),
    video: msg.video ? { ...msg.video, pixels: [], shown: -1 } : null,
  };
  let fallbackReason: string | undefined;
  if (msg.tier !== "canvas2d") {
    try {
      s.gpu = await WebGpuRenderer.create(msg.canvas, model, msg.portrait, palette, (f) => void onGpuFailure(s, f));
      if (msg.video) s.gpu.useLoop(msg.video.frames);
    } catch (e) {
      fallbackReason = e instanceof Error ? e.message : String(e);
    }
  }
  if (!s.gpu) s.cpu = Canvas2dRenderer.create(msg.canvas, model, msg.portrait);
  states.get(slot)?.gpu?.dispose();
  states.set(slot, s);
  draw(s, s.last, s.lastT);
  return { type: "ready", ref: msg.id, tier: tierOf(s), fallbackReason, adapter: s.gpu?.adapterName };
}

/** The frame on screen, drawn again and read back; from the CPU tier if the GPU failed meanwhile. */
async function readFrame(s: State): Promise<Uint8Array> {
  const vertices = frameVertices(s, s.last, new Float32Array(s.model.template.length));
  const gpu = s.gpu;
  if (gpu) {
    try {
      return await gpu.renderAndRead(vertices);
    } catch (error) {
      if (s.gpu === gpu) throw error;
    }
  }
  return s.cpu!.renderAndRead(vertices);
}

/** Frames for the bench: a vowel loop with idle motion, independent of the page. */
const benchFrame = (i: number): FrameInput => ({
  mouth: { ...RESTING_MOUTH, jawOpen: (i % 12) / 12, lipWidth: 0.3 },
  idle: { timeSec: i / 25, listening: 0 },
});

async function bench(s: State, frames: number): Promise<number> {
  // Wall time per frame including the GPU finishing its work, not just command submission; the
  // loop is held meanwhile so its frames do not count.
  const wasPlaying = loop.playing;
  loop.pause();
  try {
    for (let i = 0; i < Math.min(10, frames); i++) draw(s, benchFrame(i), -1);
    if (s.gpu) await s.gpu.done();
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      draw(s, benchFrame(i), -1);
      if (s.gpu) await s.gpu.done();
    }
    return (performance.now() - t0) / frames;
  } finally {
    if (wasPlaying) loop.play();
  }
}

async function handle(msg: ToRenderWorker): Promise<FromRenderWorker | null> {
  const slot = msg.slot ?? 0;
  if (msg.type === "init") return init(msg, slot);
  const s = states.get(slot);
  if (!s) return { type: "error", ref: "id" in msg ? msg.id : null, code: "not_initialised", message: "Send init before anything else." };
  switch (msg.type) {
    case "mouth":
      s.timeline.push(msg.keys, msg.clock);
      return null;
    case "listening":
      s.timeline.setListening(msg.on);
      return null;
    case "rest":
      s.timeline.rest(wallMs());
      return null;
    case "play":
      setPlaying(slot, true);
      return null;
    case "pause":
      setPlaying(slot, false);
      return null;
    case "still": {
      setPlaying(slot, false);
      const t0 = performance.now();
      draw(s, { mouth: msg.mouth, idle: msg.idle, face: msg.face }, -1);
      return { type: "rendered", ref: msg.id, ms: performance.now() - t0 };
    }
    case "canvas":
      s.canvas = msg.canvas;
      if (!s.gpu) s.cpu = Canvas2dRenderer.create(msg.canvas, s.model, s.portrait);
      if (s.video) s.video.shown = -1;
      draw(s, s.last, s.lastT);
      return null;
    case "snapshot": {
      const rgba = await readFrame(s);
      return { type: "snapshot", ref: msg.id, width: s.canvas.width, height: s.canvas.height, t: s.lastT, rgba: rgba.buffer as ArrayBuffer };
    }
    case "bench":
      return { type: "bench", ref: msg.id, frames: msg.frames, msPerFrame: await bench(s, msg.frames) };
    case "dispose":
      setPlaying(slot, false);
      s.gpu?.dispose();
      states.delete(slot);
      drawn.delete(slot);
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
      post({ type: "error", ref: "id" in msg ? msg.id : null, code: "render_failed", message, ...(msg.slot ? { slot: msg.slot } : {}) });
    },
  );
};
