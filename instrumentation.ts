// Runs once when a Next.js server process starts. The Node-only work lives in its own modules,
// imported under the exact NEXT_RUNTIME check Next.js strips from the edge build.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./server/startup-checks");
    // Route handlers get no socket; the stamp gives them the peer's address (server/http/peer-address.ts).
    (await import("./server/http/peer-address")).stampPeerAddresses();
    // Live-session WebSockets: next-server.mjs hands their upgrades to this handler (server/http/process-bridge.ts).
    const [{ registerUpgradeBridge }, { sessionUpgradeBridge }] = await Promise.all([import("./server/http/process-bridge"), import("./server/services/live-sessions/socket")]);
    registerUpgradeBridge(sessionUpgradeBridge());
  }
}
