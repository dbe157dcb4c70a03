import { toBase64, type RenderProbe } from "../test-hooks";
import type { RenderClient } from "./render-client";

/** The render lab's and the bench harness's probe on one renderer: exact frames and bench figures. */
export function renderProbe(client: RenderClient): RenderProbe {
  return {
    get tier() {
      return client.tier;
    },
    get fps() {
      return client.fps;
    },
    fallbackReason: client.fallbackReason,
    adapter: client.adapter,
    render: async (frame) => {
      await client.still(frame);
      return toBase64((await client.snapshot()).rgba);
    },
    bench: (frames) => client.bench(frames),
  };
}
