import { describe, expect, it, vi } from "vitest";

describe("process state", () => {
  it("one value per name per process, even when a module is evaluated again (Next.js route bundles, dev reloads)", async () => {
    const first = await import("./process-state");
    const a = first.processState("rigCache", () => new Map<string, number>(), (m) => m.clear());
    a.set("x", 1);
    vi.resetModules();
    const again = await import("./process-state");
    const b = again.processState("rigCache", () => new Map<string, number>(), (m) => m.clear());
    expect(b).toBe(a);
    expect(b.get("x")).toBe(1);
  });

  it("reset returns each value to its first state in place, closing the database last", async () => {
    const { processState, resetProcessState } = await import("./process-state");
    const order: string[] = [];
    const db = processState("db", () => ({ open: true }), (s) => {
      order.push("db");
      s.open = false;
    });
    const sweeper = processState("sweeper", () => ({ timer: 1 as number | undefined }), (s) => {
      order.push("sweeper");
      s.timer = undefined;
    });
    const cache = processState("rigCache", () => new Map<string, number>(), (m) => m.clear());
    cache.set("y", 2);
    await resetProcessState();
    expect(db.open).toBe(false);
    expect(sweeper.timer).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(order.at(-1)).toBe("db");
  });
});
