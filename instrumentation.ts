// Runs once when a Next.js server process starts: configuration is checked before the first
// request, so a missing or invalid variable stops start-up with a message naming it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getEnv } = await import("./server/env");
  try {
    getEnv();
  } catch (error) {
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n\n`);
    process.exit(1);
  }
}
