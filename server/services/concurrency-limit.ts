import "server-only";

// A fixed number of places for work done for anonymous callers (the public demo). A place taken is
// given back by the structure itself, never by the caller remembering to: a forgotten release
// would leave the place taken until restart, and a few of them switch the feature off for everyone.

/** At most `max` holders at once; the rest are refused with `busy()`. */
export class ConcurrencyLimit {
  private held = 0;

  constructor(
    private readonly max: number,
    private readonly busy: () => Error,
  ) {}

  /** Places taken now. */
  get active(): number {
    return this.held;
  }

  /** Holds a place while `work` runs (until it settles, whatever the caller does meanwhile). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = this.take();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Holds a place for a streamed answer: until its body ends, fails or is cancelled, or `signal`
   * aborts (the client left; `start` must stop its work on that signal), or `start` throws. The
   * abort matters on its own: a transport that never started sending an answer may never cancel it.
   */
  async stream(signal: AbortSignal, start: () => Promise<Response>): Promise<Response> {
    const release = this.take();
    const onAbort = () => release();
    if (signal.aborted) release();
    else signal.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      signal.removeEventListener("abort", onAbort);
      release();
    };
    try {
      const response = await start();
      if (!response.body) {
        done();
        return response;
      }
      return new Response(releasingBody(response.body, done), { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      done();
      throw error;
    }
  }

  /** Takes a place; returns its release, which frees the place once however often it is called. */
  private take(): () => void {
    if (this.held >= this.max) throw this.busy();
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
    };
  }
}

/** `body`, pulled through unchanged (one chunk per pull, as the source produces it), calling `done` once it ends in any way. */
function releasingBody(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await reader.read();
          if (next.done) {
            done();
            controller.close();
          } else controller.enqueue(next.value);
        } catch (error) {
          done();
          controller.error(error);
        }
      },
      async cancel(reason) {
        done();
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
