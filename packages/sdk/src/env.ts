/** One place for environment detection (browser page or web worker vs server runtime). */
export function isBrowserLike(): boolean {
  const g = globalThis as { window?: { document?: unknown }; WorkerGlobalScope?: abstract new () => unknown; self?: unknown };
  if (typeof g.window?.document !== "undefined") return true;
  return typeof g.WorkerGlobalScope === "function" && g.self instanceof g.WorkerGlobalScope;
}
