// Child-process entry that analyses a source video (stdin: JSON {path}) and writes one JSON line on
// stdout; see server/portrait/prepare-in-child.ts for why a child. Run with `node --conditions=react-server --import tsx`.
import { PortraitError } from "@/server/portrait/errors";
import { analyseVideo } from "./analyse";
import { VideoError } from "./errors";

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { path } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { path: string };
  try {
    const result = await analyseVideo(path);
    process.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
  } catch (err) {
    if (!(err instanceof VideoError) && !(err instanceof PortraitError)) throw err;
    process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message })}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
