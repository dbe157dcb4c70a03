import "server-only";

/** Who a portrait build is for: a workspace (paid work) or the anonymous public demo. */
export type BuildPriority = "tenant" | "demo";

/**
 * Runs one build at a time. When a build ends, a waiting tenant build always goes next, before any
 * waiting demo build: anonymous demo work can delay a workspace's build by the one demo build
 * already running, never by a queue of them.
 */
export class BuildQueue {
  private busy = false;
  private readonly waiting: Record<BuildPriority, Array<() => void>> = { tenant: [], demo: [] };

  async run<T>(priority: BuildPriority, build: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting[priority].push(resolve));
    this.busy = true;
    try {
      return await build();
    } finally {
      // Hand the slot straight to the next build (busy stays true), or free it.
      const next = this.waiting.tenant.shift() ?? this.waiting.demo.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}
