/** What the RPC needs of a Worker: the browser's, or anything with the same surface. */
export type WorkerLike = Pick<Worker, "postMessage" | "terminate" | "addEventListener">;

/** Replies carry the request's id as `ref`; unsolicited events carry none (or null). */
export type RpcReply = { type: string; ref?: number | null; code?: string; message?: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type Pending<R> = { resolve: (r: R) => void; reject: (e: Error) => void };

/**
 * The request `id` / reply `ref` correlation the lipsync and render workers share. A worker that
 * fails to load, throws outside a handler or sends what cannot be deserialised (`error`,
 * `messageerror`) rejects every pending call and every later one, so no caller waits forever.
 */
export class WorkerRpc<Req extends { id: number }, Reply extends RpcReply> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<Reply>>();
  private failed: Error | null = null;

  constructor(
    private readonly worker: WorkerLike,
    private readonly opts: {
      /** Builds the caller-facing error (each worker client has its own coded error class). */
      error: (code: string, message: string, cause?: unknown) => Error;
      /** Messages that answer no request: tier changes, stats, errors without a ref. */
      onEvent?: (m: Reply) => void;
    },
  ) {
    worker.addEventListener("message", (e) => this.receive((e as MessageEvent<Reply>).data));
    worker.addEventListener("error", (e) => {
      // A module worker that 404s or fails to parse reports an ErrorEvent with no message at all.
      const detail = (e as ErrorEvent).message;
      this.fail(opts.error("worker_failed", `the worker failed to load or crashed${detail ? `: ${detail}` : ""}`, e));
    });
    worker.addEventListener("messageerror", (e) => this.fail(opts.error("worker_failed", "a worker message could not be deserialised", e)));
  }

  /** Why the worker is unusable, once it is. */
  get failure(): Error | null {
    return this.failed;
  }

  /** Sends a request with a fresh id; resolves with its reply, rejects with its error reply. */
  request(msg: DistributiveOmit<Req, "id">, transfer: Transferable[] = []): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ ...msg, id }, transfer);
      } catch (error) {
        // DataCloneError, a detached buffer: the request never left.
        this.pending.delete(id);
        reject(this.opts.error("post_failed", error instanceof Error ? error.message : String(error), error));
      }
    });
  }

  /** Fire-and-forget message (no reply expected); dropped once the worker has failed. */
  post(msg: unknown, transfer: Transferable[] = []): void {
    if (!this.failed) this.worker.postMessage(msg, transfer);
  }

  /** Marks the worker unusable: every pending and later call rejects with `error`. */
  fail(error: Error): void {
    this.failed ??= error;
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
  }

  /** Ends the worker; pending and later calls reject with a `terminated` error. */
  terminate(message = "worker terminated"): void {
    this.worker.terminate();
    this.fail(this.opts.error("terminated", message));
  }

  private receive(m: Reply): void {
    const p = typeof m?.ref === "number" ? this.pending.get(m.ref) : undefined;
    if (!p) {
      this.opts.onEvent?.(m);
      return;
    }
    this.pending.delete(m.ref as number);
    if (m.type === "error") p.reject(this.opts.error(m.code ?? "worker_error", m.message ?? "worker error"));
    else p.resolve(m);
  }
}
