import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseToRenderWorker } from "./protocol";

const rig = JSON.parse(readFileSync(new URL("../../public/demo/astronaut.rig.json", import.meta.url), "utf8")) as unknown;
const mouth = { jawOpen: 0.5, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

describe("render worker protocol", () => {
  it("accepts well-formed frames, snapshots and benches", () => {
    expect(parseToRenderWorker({ type: "frame", mouth, idle: { timeSec: 1, listening: 0 } }).ok).toBe(true);
    expect(parseToRenderWorker({ type: "snapshot", id: 3 }).ok).toBe(true);
    expect(parseToRenderWorker({ type: "bench", id: 4, frames: 100 }).ok).toBe(true);
  });

  it("rejects garbage with the request id so the error can be a reply", () => {
    const r = parseToRenderWorker({ type: "frame", id: 9, mouth: { ...mouth, jawOpen: "wide" }, idle: { timeSec: 0, listening: 0 } });
    expect(r).toMatchObject({ ok: false, id: 9 });
    expect(parseToRenderWorker("hello")).toMatchObject({ ok: false, id: null });
    expect(parseToRenderWorker({ type: "bench", id: 1, frames: 1e9 }).ok).toBe(false);
  });

  it("refuses an init whose rig is of another version or lacks its canvas", () => {
    const r = parseToRenderWorker({ type: "init", id: 1, canvas: {}, portrait: {}, rig: { ...(rig as object), version: 99 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/version|canvas/);
  });
});
