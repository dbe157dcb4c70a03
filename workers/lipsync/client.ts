import { CodedError } from "@/core/coded-error";
import { WorkerRpc, type WorkerLike } from "../worker-rpc";
import { unpackFrames, type WireFrame } from "./frames";
import type { LipsyncReply, LipsyncRequest } from "./protocol";

/** Error reply from the worker, or why the worker is gone, with its stable code. */
export class LipsyncWorkerError extends CodedError {
  override name = "LipsyncWorkerError";
}

type Reply<T extends LipsyncReply["type"]> = Extract<LipsyncReply, { type: T }>;

/**
 * Page-side handle on the lipsync worker: promise per request, audio transferred. A worker that
 * fails to load or crashes, or whose model cannot be loaded, rejects every pending and later call.
 */
export class LipsyncClient {
  private readonly rpc: WorkerRpc<LipsyncRequest, LipsyncReply>;
  /** Milliseconds the worker spent computing frames so far (its own clock, no messaging). */
  computeMs = 0;

  constructor(worker: WorkerLike) {
    this.rpc = new WorkerRpc(worker, { error: (code, message, cause) => new LipsyncWorkerError(code, message, { cause }) });
  }

  /** Why this client can no longer be used (a failed worker or model load), once it cannot. */
  get failure(): Error | null {
    return this.rpc.failure;
  }

  private async request<T extends LipsyncReply["type"]>(req: Parameters<WorkerRpc<LipsyncRequest, LipsyncReply>["request"]>[0], transfer: Transferable[] = []): Promise<Reply<T>> {
    const r = await this.rpc.request(req, transfer);
    if (r.type === "frames") this.computeMs += r.computeMs;
    return r as Reply<T>;
  }

  async init(opts: { ep?: "wasm" | "webgpu"; modelUrl?: string; wasmPaths?: string } = {}): Promise<Reply<"ready">> {
    try {
      return await this.request<"ready">({ type: "init", ...opts });
    } catch (error) {
      // Without its model the worker serves nothing: fail whatever else was sent meanwhile, and later calls.
      this.rpc.fail(error as Error);
      throw error;
    }
  }

  open(stream: string, sampleRate: number) {
    return this.request<"opened">({ type: "open", stream, sampleRate });
  }

  /** Transfers `pcm` to the worker: the caller's array is detached afterwards. */
  async push(stream: string, pcm: Float32Array<ArrayBuffer>): Promise<WireFrame[]> {
    const r = await this.request<"frames">({ type: "push", stream, pcm }, [pcm.buffer]);
    return unpackFrames(r.frames);
  }

  async end(stream: string): Promise<WireFrame[]> {
    return unpackFrames((await this.request<"frames">({ type: "end", stream })).frames);
  }

  async analyze(pcm: Float32Array<ArrayBuffer>, sampleRate: number) {
    const r = await this.request<"frames">({ type: "analyze", pcm, sampleRate }, [pcm.buffer]);
    return { frames: unpackFrames(r.frames), computeMs: r.computeMs };
  }

  terminate() {
    this.rpc.terminate();
  }
}
