/**
 * A stand-in for the browser's Worker in Node tests (Node has no Web Worker API): the same
 * surface the worker clients use — postMessage, terminate, message/error/messageerror events,
 * onmessage — with the test playing the worker's side.
 */
export class FakeWorker extends EventTarget {
  readonly posted: unknown[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;

  postMessage(message: unknown, _transfer?: Transferable[] | StructuredSerializeOptions): void {
    if (this.terminated) return;
    this.posted.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** The worker posts `data` to the page. */
  reply(data: unknown): void {
    const e = new MessageEvent("message", { data });
    this.onmessage?.(e);
    this.dispatchEvent(e);
  }

  /** The worker's script fails to load or throws outside a handler (a browser ErrorEvent, often without a message). */
  crash(message = ""): void {
    const e = Object.assign(new Event("error"), { message });
    this.onerror?.(e);
    this.dispatchEvent(e);
  }

  /** A message arrived that could not be deserialised. */
  garble(): void {
    this.dispatchEvent(new Event("messageerror"));
  }

  /** The last request posted, with its id. */
  lastRequest<T = { type: string; id: number }>(): T {
    return this.posted.at(-1) as T;
  }
}

/** The fake as the Worker the clients are typed against. */
export const asWorker = (w: FakeWorker): Worker => w as unknown as Worker;
