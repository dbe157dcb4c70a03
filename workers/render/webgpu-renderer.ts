import { FLOATS_PER_VERTEX, movableIndices, type MeshModel } from "@/core/render/model";
import { paletteFloats, type CavityPalette } from "@/core/render/mouth-palette";
// Bundled as a string at build time (next.config.mjs turbopack rule; esbuild's text loader for the
// bench harness): no fetch that could fail or answer an HTML error page when the renderer starts.
import shader from "./mesh.wgsl";

/** Why the GPU path stopped working; the worker falls back to the CPU tier on any of these. */
export type GpuFailure = { kind: "device_lost" | "validation"; message: string };

type Gpu = { adapter: GPUAdapter; device: GPUDevice; users: number };

// One adapter and device per worker, shared by every renderer the worker holds (several avatars on
// a page draw through one device); a lost device is forgotten so the next renderer asks anew.
let shared: Promise<Gpu> | null = null;

function gpu(): Promise<Gpu> {
  return (shared ??= (async () => {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) throw new Error("no WebGPU adapter");
    const device = await adapter.requestDevice();
    const g: Gpu = { adapter, device, users: 0 };
    void device.lost.then(async () => {
      if (shared && (await shared.catch(() => null)) === g) shared = null;
    });
    return g;
  })().catch((e: unknown) => {
    shared = null;
    throw e;
  }));
}

/** Draws MeshModel frames with WGSL on an OffscreenCanvas. */
export class WebGpuRenderer {
  private readonly vertexBuffer: GPUBuffer;
  private readonly indexBuffer: GPUBuffer;
  private readonly indexCount: number;
  private readonly pipeline: GPURenderPipeline;
  private readonly uniforms: GPUBuffer;
  private readonly sampler: GPUSampler;
  /** Texture and bind group per picture: the portrait, or a source video's loop frames (one each, uploaded once). */
  private textures: GPUTexture[];
  private bindGroups: GPUBindGroup[];
  private current = 0;
  private readonly format: GPUTextureFormat;
  private lost = false;
  /** Frames submitted whose GPU work has not finished. */
  private inFlight = 0;
  /** Off-screen target for read-backs, so a snapshot never adds a frame to the canvas's swap chain. */
  private readTarget: GPUTexture | null = null;

  private constructor(
    private readonly gpu: Gpu,
    private readonly device: GPUDevice,
    private readonly context: GPUCanvasContext,
    readonly model: MeshModel,
    readonly size: number,
    private readonly texture: GPUTexture,
    readonly adapterName: string,
    palette: CavityPalette,
  ) {
    this.format = texture.format;
    // COPY_DST: each frame starts as a blit of the portrait; COPY_SRC lets snapshot() read it back.
    context.configure({
      device,
      format: this.format,
      alphaMode: "opaque",
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC | GPUTextureUsage.COPY_DST,
    });
    const buffer = (data: ArrayBufferView, usage: number) => {
      const b = device.createBuffer({ size: Math.ceil(data.byteLength / 4) * 4, usage: usage | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
      return b;
    };
    this.vertexBuffer = buffer(model.template, GPUBufferUsage.VERTEX);
    // Only triangles that can move are drawn; the blit already holds every other pixel.
    const movable = movableIndices(model);
    this.indexBuffer = buffer(movable, GPUBufferUsage.INDEX);
    this.indexCount = movable.length;
    this.uniforms = buffer(
      Float32Array.from([model.down[0], model.down[1], model.mouthWidth, 1 / size, ...paletteFloats(palette)]),
      GPUBufferUsage.UNIFORM,
    );
    const module = device.createShaderModule({ code: shader });
    const stride = FLOATS_PER_VERTEX * 4;
    this.pipeline = device.createRenderPipeline({
      layout: "auto",
      vertex: {
        module,
        entryPoint: "vs_main",
        buffers: [
          {
            arrayStride: stride,
            attributes: [
              { shaderLocation: 0, offset: 0, format: "float32x2" },
              { shaderLocation: 1, offset: 8, format: "float32x2" },
              { shaderLocation: 2, offset: 16, format: "float32x4" },
              { shaderLocation: 3, offset: 32, format: "float32x2" },
            ],
          },
        ],
      },
      fragment: { module, entryPoint: "fs_main", targets: [{ format: this.format }] },
      // No culling: a strongly deformed triangle may flip, and it must still be drawn.
      primitive: { topology: "triangle-list", cullMode: "none" },
    });
    this.sampler = device.createSampler({ magFilter: "linear", minFilter: "linear", addressModeU: "clamp-to-edge", addressModeV: "clamp-to-edge" });
    this.textures = [texture];
    this.bindGroups = [this.bindGroupFor(texture)];
  }

  private bindGroupFor(texture: GPUTexture): GPUBindGroup {
    return this.device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.uniforms } },
        { binding: 1, resource: texture.createView() },
        { binding: 2, resource: this.sampler },
      ],
    });
  }

  /** Requests an adapter and device and uploads the portrait; throws when WebGPU is unavailable. */
  static async create(
    canvas: OffscreenCanvas,
    model: MeshModel,
    portrait: ImageBitmap,
    palette: CavityPalette,
    onFailure: (f: GpuFailure) => void,
  ): Promise<WebGpuRenderer> {
    if (typeof navigator === "undefined" || !("gpu" in navigator) || !navigator.gpu) throw new Error("navigator.gpu is not available");
    const g = await gpu();
    const { adapter, device } = g;
    const size = portrait.width;
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext("webgpu");
    if (!context) throw new Error("canvas.getContext('webgpu') returned null");
    // The canvas's own (non-sRGB) format: the portrait can be blitted into the frame, and
    // filtering happens on stored values, as in the CPU rasteriser.
    const texture = device.createTexture({
      size: [size, size],
      format: navigator.gpu.getPreferredCanvasFormat(),
      // COPY_SRC: every frame starts as a copy of this texture into the canvas texture.
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST | GPUTextureUsage.COPY_SRC | GPUTextureUsage.RENDER_ATTACHMENT,
    });
    device.queue.copyExternalImageToTexture({ source: portrait }, { texture }, [size, size]);
    const info = adapter.info;
    const r = new WebGpuRenderer(g, device, context, model, size, texture, `${info?.vendor ?? ""} ${info?.architecture ?? ""}`.trim(), palette);
    g.users++;
    void device.lost.then((l) => {
      r.lost = true;
      if (l.reason !== "destroyed" && !r.disposed) onFailure({ kind: "device_lost", message: l.message || "GPU device lost" });
    });
    // A validation error on a shared device cannot be pinned on one renderer: each falls back.
    device.addEventListener("uncapturederror", (e) => {
      if (!r.disposed) onFailure({ kind: "validation", message: (e as GPUUncapturedErrorEvent).error.message });
    });
    return r;
  }

  get isLost(): boolean {
    return this.lost;
  }

  /**
   * True while the last frame's GPU work is unfinished. The loop skips a display frame then: a
   * slow GPU (SwiftShader on a busy CPU) must not collect a queue of frames nobody will see.
   */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /**
   * Uploads a source video's loop frames once, a texture and bind group each (a 4 s loop at 512 px
   * is 100 MB of GPU memory); showFrame then picks one per frame without uploading anything.
   */
  useLoop(frames: readonly ImageBitmap[]): void {
    for (const t of this.textures.slice(1)) t.destroy();
    const textures = frames.map((frame) => {
      const t = this.device.createTexture({ size: [this.size, this.size], format: this.format, usage: this.texture.usage });
      this.device.queue.copyExternalImageToTexture({ source: frame }, { texture: t }, [this.size, this.size]);
      return t;
    });
    this.textures = [this.texture, ...textures];
    this.bindGroups = [this.bindGroups[0]!, ...textures.map((t) => this.bindGroupFor(t))];
    this.current = 0;
  }

  /** Shows loop frame `k` (useLoop) from the next frame drawn. */
  showFrame(k: number): void {
    this.current = Math.min(this.textures.length - 1, k + 1);
  }

  /** Draws one frame from a deformed vertex buffer onto the canvas; `null` shows the texture untouched. */
  render(vertices: Float32Array | null): void {
    this.encode(vertices, this.context.getCurrentTexture());
    this.inFlight++;
    void this.device.queue.onSubmittedWorkDone().finally(() => this.inFlight--);
  }

  private encode(vertices: Float32Array | null, target: GPUTexture): void {
    const d = this.device;
    const enc = d.createCommandEncoder();
    enc.copyTextureToTexture({ texture: this.textures[this.current]! }, { texture: target }, [this.size, this.size]);
    if (!vertices) {
      d.queue.submit([enc.finish()]);
      return;
    }
    d.queue.writeBuffer(this.vertexBuffer, 0, vertices.buffer, vertices.byteOffset, vertices.byteLength);
    const pass = enc.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "load", storeOp: "store" }] });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroups[this.current]!);
    pass.setVertexBuffer(0, this.vertexBuffer);
    pass.setIndexBuffer(this.indexBuffer, "uint32");
    pass.drawIndexed(this.indexCount);
    pass.end();
    d.queue.submit([enc.finish()]);
  }

  /** Resolves when the GPU has finished everything submitted (frame timing). */
  done(): Promise<void> {
    return this.device.queue.onSubmittedWorkDone();
  }

  /** Renders a frame off screen and reads it back as RGBA bytes (tests, screenshots). */
  async renderAndRead(vertices: Float32Array | null): Promise<Uint8Array> {
    const S = this.size;
    const tex = (this.readTarget ??= this.device.createTexture({
      size: [S, S],
      format: this.format,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC | GPUTextureUsage.COPY_DST,
    }));
    this.encode(vertices, tex);
    const bytesPerRow = Math.ceil((S * 4) / 256) * 256;
    const buf = this.device.createBuffer({ size: bytesPerRow * S, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    const enc = this.device.createCommandEncoder();
    enc.copyTextureToBuffer({ texture: tex }, { buffer: buf, bytesPerRow }, [S, S]);
    this.device.queue.submit([enc.finish()]);
    await buf.mapAsync(GPUMapMode.READ);
    const src = new Uint8Array(buf.getMappedRange());
    const out = new Uint8Array(S * S * 4);
    const bgra = this.format === "bgra8unorm";
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const i = y * bytesPerRow + x * 4;
        const o = (y * S + x) * 4;
        out[o] = src[bgra ? i + 2 : i]!;
        out[o + 1] = src[i + 1]!;
        out[o + 2] = src[bgra ? i : i + 2]!;
        out[o + 3] = 255;
      }
    }
    buf.unmap();
    buf.destroy();
    return out;
  }

  private disposed = false;

  /** Frees this renderer's GPU memory; the device goes with its last renderer. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.texture.destroy();
    this.readTarget?.destroy();
    this.vertexBuffer.destroy();
    this.indexBuffer.destroy();
    if (--this.gpu.users <= 0) {
      shared = null;
      this.device.destroy();
    }
  }
}
