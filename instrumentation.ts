// Runs once when a Next.js server process starts. The Node-only work lives in its own modules,
// imported under the exact NEXT_RUNTIME check Next.js strips from the edge build.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./server/startup-checks");
    // Route handlers get no socket; the stamp gives them the peer's address (server/http/peer-address.ts).
    (await import("./server/http/peer-address")).stampPeerAddresses();
    // The in-process job worker (JOBS_IN_PROCESS, on by default): `npm start` alone prepares avatars
    // and renders lipsync, and jobs queued before a restart are taken up at once.
    await (await import("./server/jobs/in-process")).startInProcessWorker();
    // Live-session WebSockets: next-server.mjs hands their upgrades to this handler (server/http/process-bridge.ts).
    const [{ registerUpgradeBridge }, { sessionUpgradeBridge }] = await Promise.all([import("./server/http/process-bridge"), import("./server/services/live-sessions/socket")]);
    registerUpgradeBridge(sessionUpgradeBridge());
    // Rate-limit store and key-cache invalidation, shared with other instances when configured.
    await (await import("./server/services/instance-state")).startInstanceState();
    // /api/v1 straight to its route handlers, which the production server calls before Next.js's
    // routing (server/http/process-bridge.ts, api-dispatch.ts). `next dev` has no such server.
    if (process.env.NODE_ENV === "production") {
      const [{ registerApiBridge }, { apiDispatcher }, { V1_ROUTE_FILES }] = await Promise.all([
        import("./server/http/process-bridge"),
        import("./server/http/api-dispatch"),
        import("./app/api/v1/route-files"),
      ]);
      registerApiBridge(apiDispatcher(V1_ROUTE_FILES));
    }
  }
}
