import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Rig } from "@/core/render/rig";
import { FakeWorker } from "@/workers/testing/fake-worker";
import { RenderClient } from "@/workers/render/render-client";
import { RenderClientSink } from "./render-sink";

const rig = JSON.parse(readFileSync(new URL("../../public/demo/astronaut.rig.json", import.meta.url), "utf8")) as Rig;
const mouth = { jawOpen: 0.5, lipWidth: 0.2, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

/** The parts of an HTMLCanvasElement the render client touches. */
function fakeCanvas() {
  const canvas = { transferControlToOffscreen: () => ({}), cloneNode: () => fakeCanvas(), replaceWith: () => undefined };
  return canvas as unknown as HTMLCanvasElement;
}

/** Starts a client on a fake worker (Node has no Web Worker) that answers init with `reply`. */
async function started(reply: (w: FakeWorker, init: { id: number }) => void) {
  const workers: FakeWorker[] = [];
  vi.stubGlobal(
    "Worker",
    class extends FakeWorker {
      constructor() {
        super();
        workers.push(this);
        queueMicrotask(() => reply(this, this.lastRequest()));
      }
    },
  );
  const client = await RenderClient.create(fakeCanvas(), { rig, portrait: {} as ImageBitmap, workerUrl: "/render-worker.js" });
  return { client, worker: workers[0]! };
}

afterEach(() => vi.unstubAllGlobals());

describe("the stage's render sink", () => {
  it("turns each frame the player draws into one posted mouth key: no request per frame, the worker animates", async () => {
    const { client, worker } = await started((w, init) => w.reply({ type: "ready", ref: init.id, tier: "canvas2d" }));
    expect(worker.posted.map((m) => (m as { type: string }).type)).toEqual(["init", "play"]);
    const sink = new RenderClientSink(client);
    for (let f = 0; f < 50; f++) sink.drawMotion(mouth, f / 50);
    const keys = worker.posted.slice(2) as { type: string; id?: number; keys: { t: number }[]; clock: { t: number; wallMs: number } }[];
    expect(keys).toHaveLength(50);
    expect(keys.every((m) => m.type === "mouth" && m.id === undefined)).toBe(true);
    expect(keys[49]!.keys).toEqual([{ t: 0.98, mouth }]);
    // Stamped on the clock page and worker share, so the worker knows when the key is due.
    expect(keys[49]!.clock.t).toBe(0.98);
    expect(Math.abs(keys[49]!.clock.wallMs - Date.now())).toBeLessThan(1000);
  });

  it("passes a motion frame's face (emotion, gestures) on to the worker with its key", async () => {
    const { client, worker } = await started((w, init) => w.reply({ type: "ready", ref: init.id, tier: "canvas2d" }));
    const sink = new RenderClientSink(client);
    const face = { emotion: 3, brow: 0.25, nod: 0.5 };
    sink.drawMotion(mouth, 0.4, face);
    expect((worker.posted.at(-1) as { keys: unknown[] }).keys).toEqual([{ t: 0.4, mouth, face }]);
  });

  it("passes the avatar's state on: the listening pose, the resting mouth when idle", async () => {
    const { client, worker } = await started((w, init) => w.reply({ type: "ready", ref: init.id, tier: "webgpu" }));
    const sink = new RenderClientSink(client);
    sink.setState("listening");
    sink.setState("idle");
    expect(worker.posted.slice(2)).toEqual([{ type: "listening", on: true }, { type: "listening", on: false }, { type: "rest" }]);
  });

  it("reads the frame on screen back with the audio time of its mouth", async () => {
    const { client, worker } = await started((w, init) => w.reply({ type: "ready", ref: init.id, tier: "canvas2d" }));
    const shot = new RenderClientSink(client).snapshot();
    const req = worker.lastRequest();
    expect(req.type).toBe("snapshot");
    worker.reply({ type: "snapshot", ref: req.id, width: 2, height: 1, t: 1.25, rgba: new Uint8Array(8).fill(7).buffer });
    expect(await shot).toEqual({ width: 2, height: 1, t: 1.25, rgba: new Uint8Array(8).fill(7) });
  });

  it("falls back to the server tier when the worker fails to load", async () => {
    const { client, worker } = await started((w) => w.crash());
    expect(client.tier).toBe("server");
    expect(client.fallbackReason).toMatch(/failed to load/);
    expect(worker.terminated).toBe(true);
    await expect(new RenderClientSink(client).snapshot()).rejects.toMatchObject({ code: "server_tier" });
  });
});
