// Runs once when a Next.js server process starts. The Node-only work lives in its own module,
// imported under the exact NEXT_RUNTIME check Next.js strips from the edge build.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./server/startup-checks");
  }
}
