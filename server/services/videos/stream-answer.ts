import "server-only";

/**
 * Runs `render`, handing its bytes to a stream that is answered once the first byte exists: a
 * failure before then (402, bad speech) is thrown to the caller as an HTTP error; after it, it
 * errors the stream (the client sees a cut body). The render does not stop when the client leaves:
 * the video is the workspace's once stored (docs/videos.md). Bytes a slow reader has not taken
 * wait in memory (a video is at most LIPSYNC_MAX_SECONDS long, a few MB).
 */
export async function streamWhileRendering(render: (onData: (chunk: Uint8Array) => void) => Promise<unknown>, onLateError: (error: unknown) => void): Promise<ReadableStream<Uint8Array>> {
  const pending: Uint8Array[] = [];
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let outcome: { error: unknown } | "ok" | null = null;
  let gone = false;
  let firstByte!: () => void;
  const started = new Promise<void>((resolve) => (firstByte = resolve));
  const settle = () => {
    if (!controller || gone || outcome === null) return;
    if (outcome === "ok") controller.close();
    else controller.error(outcome.error);
    gone = true;
  };
  const onData = (chunk: Uint8Array) => {
    if (gone) return;
    // A copy: the chunk is also being written to the stored file.
    if (controller) controller.enqueue(chunk.slice());
    else pending.push(chunk.slice());
    firstByte();
  };
  const done = render(onData).then(
    () => {
      outcome = "ok";
      settle();
    },
    (error: unknown) => {
      outcome = { error };
      settle();
      throw error;
    },
  );
  await Promise.race([started, done]);
  // Past the first byte: later failures end the stream instead of the answer.
  done.catch(onLateError);
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      for (const p of pending.splice(0)) c.enqueue(p);
      settle();
    },
    cancel() {
      gone = true;
    },
  });
}
