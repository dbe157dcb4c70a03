// Child-process entry that turns portrait bytes (stdin) into a rig (one JSON line on stdout); see
// prepare-in-child.ts for why a child. Run with `node --conditions=react-server --import tsx`.
import { preparePortrait } from "./prepare";
import { PortraitError } from "./errors";

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
