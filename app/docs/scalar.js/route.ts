import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

// Scalar's standalone browser bundle, served from our own origin (see app/docs/route.ts).
const BUNDLE = resolve(process.cwd(), "node_modules/@scalar/api-reference/dist/browser/standalone.js");

export const dynamic = "force-static";

export async function GET() {
  const body = await readFile(BUNDLE);
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=86400" },
  });
}
