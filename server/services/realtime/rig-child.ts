// Child-process entry that turns portrait bytes (stdin) into a rig (one JSON line on stdout).
// Run with `node --conditions=react-server --import tsx`: the face-landmark stack (Human + tfjs
// wasm, loaded through dynamic requires) stays out of the Next.js bundle, and its CPU spike and
// memory stay out of the web server process.
import { preparePortrait } from "@/server/portrait/prepare";
import { PortraitError } from "@/server/portrait/errors";

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  try {
    const result = await preparePortrait(new Uint8Array(Buffer.concat(chunks)));
    process.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
  } catch (err) {
    if (!(err instanceof PortraitError)) throw err;
    process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message })}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
