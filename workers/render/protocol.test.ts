import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseToRenderWorker } from "./protocol";

const rig = JSON.parse(readFileSync(new URL("../../public/demo/astronaut.rig.json", import.meta.url), "utf8")) as unknown;
const mouth = { jawOpen: 0.5, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

describe("render worker protocol", () => {
  it("accepts state changes, stills, snapshots and benches", () => {
    for (const m of [
      { type: "mouth", keys: [{ t: 0.02, mouth }], clock: { t: 0.02, wallMs: 1.7e12 } },
      { type: "mouth", keys: [] },
      { type: "listening", on: true },
      { type: "rest" },
      { type: "play" },
      { type: "pause" },
      { type: "still", id: 2, mouth, idle: { timeSec: 1, listening: 0 } },
      { type: "snapshot", id: 3 },
      { type: "bench", id: 4, frames: 100 },
    ]) {
      expect(parseToRenderWorker(m).ok, m.type).toBe(true);
    }
  });

  it("has no per-frame request: the page posts state changes and the worker animates", () => {
    expect(parseToRenderWorker({ type: "frame", id: 1, mouth, idle: { timeSec: 0, listening: 0 } })).toMatchObject({ ok: false, id: 1 });
  });

  it("rejects garbage with the request id so the error can be a reply", () => {
    const r = parseToRenderWorker({ type: "still", id: 9, mouth: { ...mouth, jawOpen: "wide" }, idle: { timeSec: 0, listening: 0 } });
    expect(r).toMatchObject({ ok: false, id: 9 });
    expect(parseToRenderWorker("hello")).toMatchObject({ ok: false, id: null });
    expect(parseToRenderWorker({ type: "bench", id: 1, frames: 1e9 }).ok).toBe(false);
    expect(parseToRenderWorker({ type: "mouth", keys: [{ t: Number.NaN, mouth }] }).ok).toBe(false);
    expect(parseToRenderWorker({ type: "mouth", keys: Array.from({ length: 10_001 }, (_, i) => ({ t: i, mouth })) }).ok).toBe(false);
  });

  it("addresses a renderer of a shared worker by slot, and keeps it on the message", () => {
    expect(parseToRenderWorker({ type: "mouth", keys: [{ t: 0, mouth }], slot: 3 })).toMatchObject({ ok: true, msg: { slot: 3 } });
    expect(parseToRenderWorker({ type: "snapshot", id: 1, slot: 2 })).toMatchObject({ ok: true, msg: { slot: 2 } });
    expect(parseToRenderWorker({ type: "rest", slot: -1 }).ok).toBe(false);
    expect(parseToRenderWorker({ type: "rest", slot: 1.5 }).ok).toBe(false);
    expect(parseToRenderWorker({ type: "rest", slot: 5000 }).ok).toBe(false);
  });

  it("refuses an init whose rig is of another version or lacks its canvas", () => {
    const r = parseToRenderWorker({ type: "init", id: 1, canvas: {}, portrait: {}, rig: { ...(rig as object), version: 99 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/version|canvas/);
  });
});
