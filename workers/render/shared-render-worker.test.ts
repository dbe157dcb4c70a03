import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Rig } from "@/core/render/rig";
import { FakeWorker } from "@/workers/testing/fake-worker";
import { RenderClient, SharedRenderWorker } from "./render-client";

// Several avatars of a page on one render worker (the widget): each RenderClient takes a slot,
// every message it sends names it, and the worker's events reach only the renderer they are for.

const rig = JSON.parse(readFileSync(new URL("../../public/demo/astronaut.rig.json", import.meta.url), "utf8")) as Rig;
const canvas = () => ({ transferControlToOffscreen: () => ({}), cloneNode: () => canvas(), replaceWith: () => undefined }) as unknown as HTMLCanvasElement;

afterEach(() => vi.unstubAllGlobals());

/** A shared worker whose inits the test answers as the worker would. */
function sharedOn(worker: FakeWorker) {
  // Node has no Worker: the client only checks that one exists (the shared worker is already started).
  vi.stubGlobal("Worker", FakeWorker);
  const host = new SharedRenderWorker(worker as unknown as Worker);
  const create = async () => {
    const p = RenderClient.create(canvas(), { rig, portrait: {} as ImageBitmap, shared: host });
    await Promise.resolve();
    const init = worker.lastRequest() as { id: number; slot: number };
    worker.reply({ type: "ready", ref: init.id, tier: "webgpu" });
    return { client: await p, slot: init.slot };
  };
  return { host, create };
}

describe("a shared render worker", () => {
  it("gives each renderer its own slot and addresses every message to it", async () => {
    const worker = new FakeWorker();
    const { host, create } = sharedOn(worker);
    const a = await create();
    const b = await create();
    expect([a.slot, b.slot]).toEqual([1, 2]);
    expect(host.size).toBe(2);
    b.client.listening(true);
    a.client.rest();
    expect(worker.posted.slice(-2)).toEqual([{ type: "listening", on: true, slot: 2 }, { type: "rest", slot: 1 }]);
  });

  it("routes the worker's events by slot: one avatar's fps and fallback are not another's", async () => {
    const worker = new FakeWorker();
    const { create } = sharedOn(worker);
    const a = await create();
    const b = await create();
    worker.reply({ type: "stats", fps: 41, slot: 2 });
    worker.reply({ type: "stats", fps: 55, slot: 1 });
    worker.reply({ type: "tier-changed", tier: "canvas2d", reason: "device_lost", needsCanvas: false, slot: 2 });
    expect([a.client.fps, b.client.fps]).toEqual([55, 41]);
    expect([a.client.tier, b.client.tier]).toEqual(["webgpu", "canvas2d"]);
  });

  it("keeps the worker for the others when one renderer is disposed", async () => {
    const worker = new FakeWorker();
    const { host, create } = sharedOn(worker);
    const a = await create();
    await create();
    a.client.dispose();
    expect(worker.posted.at(-1)).toEqual({ type: "dispose", id: 0, slot: 1 });
    expect(worker.terminated).toBe(false);
    expect(host.size).toBe(1);
  });
});
