// A request body that counts what the server pulled from it: "refused without reading it" is then
// a number (bytes read), not a memory measurement.

export type CountedBody = { stream: ReadableStream<Uint8Array>; pulled: () => number };

const CHUNK = 64 * 1024;

/** `total` bytes of `fill` (a JSON-ish filler by default), produced only as the reader pulls them. */
export function countedBody(total: number, fill = 0x20): CountedBody {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) return controller.close();
        const n = Math.min(CHUNK, total - pulled);
        pulled += n;
        controller.enqueue(new Uint8Array(n).fill(fill));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

/** Most a bounded reader may pull past a limit: the one chunk that crossed it. */
export const READ_SLACK = CHUNK;

/** A streamed request (no Content-Length) or, with `declare`, one announcing its length up front. */
export function requestWith(url: string, body: CountedBody, headers: Record<string, string> = {}, declare?: number): Request {
  const all = declare === undefined ? headers : { ...headers, "content-length": String(declare) };
  return new Request(url, { method: "POST", headers: all, body: body.stream, duplex: "half" } as RequestInit);
}
