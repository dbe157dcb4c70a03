import { describe, expect, it } from "vitest";
import { BuildQueue } from "./build-queue";

describe("BuildQueue", () => {
  it("runs one build at a time and lets waiting tenant builds go before waiting demo builds", async () => {
    const queue = new BuildQueue();
    const order: string[] = [];
    let release!: () => void;
    const first = queue.run("demo", () => new Promise<void>((r) => (release = r)).then(() => void order.push("demo-running")));
    const queued = [
      queue.run("demo", async () => void order.push("demo-1")),
      queue.run("demo", async () => void order.push("demo-2")),
      queue.run("tenant", async () => void order.push("tenant-1")),
      queue
        .run("tenant", async () => {
          order.push("tenant-2");
          throw new Error("bad portrait");
        })
        .catch(() => undefined),
    ];
    release();
    await Promise.all([first, ...queued]);
    expect(order).toEqual(["demo-running", "tenant-1", "tenant-2", "demo-1", "demo-2"]);
    // Free again once empty.
    expect(await queue.run("demo", async () => "ran")).toBe("ran");
  });
});
