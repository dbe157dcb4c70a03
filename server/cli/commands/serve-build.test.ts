import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PREBUILD_SCRIPT } from "./serve";

// `npm start` builds through `tic-avatar serve`, CI and deployments through `npm run build`. The two
// once ran different steps before `next build` (serve built no widget: /widget.js was a 404 after
// `npm start`), so both now run one script, and this keeps them on it.

describe("the production build's steps", () => {
  it("npm run build and tic-avatar serve run the same prebuild script", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe(`node ${PREBUILD_SCRIPT} && next build`);
  });

  it("the prebuild script copies ONNX Runtime's wasm and builds the widget", () => {
    const script = readFileSync(PREBUILD_SCRIPT, "utf8");
    expect(script).toContain('"copy-ort-wasm.mjs"');
    expect(script).toContain('"build-widget.mjs"');
  });
});
