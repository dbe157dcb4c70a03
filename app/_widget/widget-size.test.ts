import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

// The widget's size budgets (docs/widget.md), on the files `npm run build` writes: built here into
// a temporary public/ by the same script, and gzipped here.

const KB = 1024;
const dir = mkdtempSync(join(tmpdir(), "tic-widget-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

describe("the widget build", () => {
  it("keeps the loader under 15 KB and everything before the first frame under 80 KB, gzipped; the rest is lazy and content-hashed", async () => {
    const { buildWidget } = await import("../../scripts/build-widget.mjs");
    await buildWidget(dir);
    const files = readdirSync(join(dir, "widget"));
    const one = (re: RegExp) => {
      const found = files.filter((f) => re.test(f));
      expect(found, `${re}`).toHaveLength(1);
      return join(dir, "widget", found[0]!);
    };
    const loader = gz(join(dir, "widget.js"));
    // Before the first frame: the loader, the core chunk and the render worker. The lipsync worker,
    // the model and ONNX Runtime's wasm load only in audio mode, after the avatar is drawn.
    const core = gz(one(/^core-[0-9a-f]{12}\.js$/));
    const render = gz(one(/^render-worker-[0-9a-f]{12}\.js$/));
    console.log(`widget gzip: loader ${(loader / KB).toFixed(1)} KB, core ${(core / KB).toFixed(1)} KB, render worker ${(render / KB).toFixed(1)} KB`);
    expect(loader).toBeLessThanOrEqual(15 * KB);
    expect(loader + core + render).toBeLessThanOrEqual(80 * KB);
    // The lazy parts exist under hashed names (so they may be cached for a year).
    one(/^lipsync-worker-[0-9a-f]{12}\.js$/);
    one(/^visemes-[0-9a-f]{12}\.onnx$/);
    const ort = one(/^ort-[0-9a-f]{12}$/);
    expect(readdirSync(ort).some((f) => f.endsWith(".wasm") && statSync(join(ort, f)).size > 1e6)).toBe(true);
    // The loader names the core chunk it imports, and the core names the workers: one build, consistent names.
    const coreName = files.find((f) => f.startsWith("core-"))!;
    expect(readFileSync(join(dir, "widget.js"), "utf8")).toContain(coreName);
    expect(readFileSync(join(dir, "widget", coreName), "utf8")).toContain(files.find((f) => f.startsWith("render-worker-"))!);
  }, 120_000);
});
