import { CodedError } from "@/core/coded-error";
import type { LipsyncReply, LipsyncRequest, WireFrame } from "./protocol";
import { unpackFrames } from "./protocol";

type Pending = { resolve: (r: LipsyncReply) => void; reject: (e: Error) => void };

/** Error reply from the worker, with its stable code. */
export class LipsyncWorkerError extends CodedError {
  override name = "LipsyncWorkerError";
}

/** Page-side handle on the lipsync worker: promise per request, audio transferred. */
export class LipsyncClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Milliseconds the worker spent computing frames so far (its own clock, no messaging). */
  computeMs = 0;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (ev: MessageEvent<LipsyncReply>) => {
      const msg = ev.data;
      const p = msg.ref === null ? undefined : this.pending.get(msg.ref);
      if (!p || msg.ref === null) return;
      this.pending.delete(msg.ref);
      if (msg.type === "error") p.reject(new LipsyncWorkerError(msg.code, msg.message));
      else {
        if (msg.type === "frames") this.computeMs += msg.computeMs;
        p.resolve(msg);
      }
    };
  }

  private request<T extends LipsyncReply["type"]>(req: LipsyncRequest, transfer: Transferable[] = []) {
    return new Promise<Extract<LipsyncReply, { type: T }>>((resolve, reject) => {
      this.pending.set(req.id, { resolve: resolve as (r: LipsyncReply) => void, reject });
      this.worker.postMessage(req, transfer);
    });
  }

  init(opts: { ep?: "wasm" | "webgpu"; modelUrl?: string; wasmPaths?: string } = {}) {
    return this.request<"ready">({ type: "init", id: this.nextId++, ...opts });
  }

  open(stream: string, sampleRate: number) {
    return this.request<"opened">({ type: "open", id: this.nextId++, stream, sampleRate });
  }

  /** Transfers `pcm` to the worker: the caller's array is detached afterwards. */
  async push(stream: string, pcm: Float32Array<ArrayBuffer>): Promise<WireFrame[]> {
    const r = await this.request<"frames">({ type: "push", id: this.nextId++, stream, pcm }, [pcm.buffer]);
    return unpackFrames(r.frames);
  }

  async end(stream: string): Promise<WireFrame[]> {
    return unpackFrames((await this.request<"frames">({ type: "end", id: this.nextId++, stream })).frames);
  }

  async analyze(pcm: Float32Array<ArrayBuffer>, sampleRate: number) {
    const r = await this.request<"frames">({ type: "analyze", id: this.nextId++, pcm, sampleRate }, [pcm.buffer]);
    return { frames: unpackFrames(r.frames), computeMs: r.computeMs };
  }

  terminate() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new LipsyncWorkerError("terminated", "worker terminated"));
    this.pending.clear();
  }
}
