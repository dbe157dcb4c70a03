import { describe, expect, it } from "vitest";
import { asWorker, FakeWorker } from "../testing/fake-worker";
import { LipsyncClient } from "./client";

/** Settles within `ms` or reports that it still hangs (a client that never rejects would stall the page). */
const settled = <T>(p: Promise<T>, ms = 200) =>
  Promise.race([p.then((v) => ({ resolved: v }), (e: unknown) => ({ rejected: e })), new Promise((r) => setTimeout(() => r("still pending"), ms))]);

describe("LipsyncClient", () => {
  it("rejects every pending call when the worker fails to load, and every later one", async () => {
    const w = new FakeWorker();
    const client = new LipsyncClient(asWorker(w));
    const init = client.init();
    const open = client.open("a", 16_000);
    w.crash();
    expect(await settled(init)).toMatchObject({ rejected: { code: "worker_failed" } });
    expect(await settled(open)).toMatchObject({ rejected: { code: "worker_failed" } });
    expect(await settled(client.end("a"))).toMatchObject({ rejected: { code: "worker_failed" } });
    expect(client.failure).toMatchObject({ code: "worker_failed" });
  });

  it("rejects pending calls when a reply cannot be deserialised", async () => {
    const w = new FakeWorker();
    const client = new LipsyncClient(asWorker(w));
    const init = client.init();
    w.garble();
    expect(await settled(init)).toMatchObject({ rejected: { code: "worker_failed" } });
  });

  it("a model that cannot be loaded fails the calls queued behind init and later ones", async () => {
    const w = new FakeWorker();
    const client = new LipsyncClient(asWorker(w));
    const init = client.init({ modelUrl: "/models/missing.onnx" });
    const { id } = w.lastRequest();
    const push = client.push("a", new Float32Array(160));
    w.reply({ type: "error", ref: id, code: "init_failed", message: "failed to fetch /models/missing.onnx: 404" });
    expect(await settled(init)).toMatchObject({ rejected: { code: "init_failed", message: expect.stringContaining("404") } });
    expect(await settled(push)).toMatchObject({ rejected: { code: "init_failed" } });
    expect(await settled(client.open("b", 16_000))).toMatchObject({ rejected: { code: "init_failed" } });
  });

  it("answers each request by its ref and keeps the worker's error code", async () => {
    const w = new FakeWorker();
    const client = new LipsyncClient(asWorker(w));
    const open = client.open("a", 16_000);
    const end = client.end("zzz");
    const [o, e] = w.posted as { id: number }[];
    w.reply({ type: "error", ref: e!.id, code: "unknown_stream", message: 'no open stream "zzz"' });
    w.reply({ type: "opened", ref: o!.id, stream: "a" });
    expect(await settled(open)).toEqual({ resolved: { type: "opened", ref: o!.id, stream: "a" } });
    expect(await settled(end)).toMatchObject({ rejected: { code: "unknown_stream" } });
    expect(client.failure).toBeNull();
  });
});
