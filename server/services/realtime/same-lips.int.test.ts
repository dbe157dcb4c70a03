// Every tier shows the same lips: the /demo page's clip player (app/demo/stream-turn.ts, fed by the
// viseme worker) must write the motion records a REST turn writes for the same audio — same frame
// rate, same per-frame resampling (mean over the frame, peak lip closure), same viseme ids.
import { describe, expect, it, vi } from "vitest";
import { streamTurn } from "@/app/_stage/stream-turn";
import { MOUTH_PARAM_KEYS } from "@/core/mux";
import { visemeMouthSource } from "@/core/turn/mouth-source";
import { readAvatarMux, type AvatarMuxEvent, type HeaderRecord, type MotionRecord } from "@/packages/sdk/src";
import { callRoute } from "@/server/http/testing/test-api";
import { visemeRunner } from "./engine";
import { decodeTurn, useTurnWorld } from "./testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const world = useTurnWorld("same-lips", 100_000_000);

const motionOf = (records: AvatarMuxEvent[]) => records.filter((r): r is MotionRecord => r.kind === "motion");

describe("the demo's clip player and a REST turn", () => {
  it("write the same motion records for the same audio", async () => {
    const res = await callRoute(world.routes.turn, {
      method: "POST",
      path: "/api/v1/realtime/turn",
      key: world.caller.key,
      body: { avatar_id: world.avatarId, mode: "speak_text", text: "Bob met Pam by the big map of Peru.", playout_delay_ms: 2000 },
    });
    expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
    const turn = await decodeTurn(res);
    const header = turn[0] as HeaderRecord;
    const audio = turn.flatMap((r) => (r.kind === "audio" ? [...r.samples] : []));
    // The clip as the page decodes it: float samples in [-1, 1].
    const pcm = Float32Array.from(audio, (s) => s / 32768);

    const demo: AvatarMuxEvent[] = [];
    // The page's mouth source is the lipsync worker running this same engine (app/demo/lipsync.ts).
    const mouth = visemeMouthSource(await visemeRunner(), header.sampleRate);
    for await (const r of readAvatarMux(streamTurn({ pcm, sampleRate: header.sampleRate, mouth }))) demo.push(r);

    expect((demo[0] as HeaderRecord).fps).toBe(header.fps);
    const [ours, theirs] = [motionOf(demo), motionOf(turn)];
    expect(ours.map((m) => m.frame)).toEqual(theirs.map((m) => m.frame));
    expect(ours.map((m) => m.visemeId)).toEqual(theirs.map((m) => m.visemeId));
    // The lips closed for /b p m/ in the turn close in the demo too (the peak is kept, not averaged away).
    expect(theirs.some((m) => m.mouth.lipsPressed > 0.5)).toBe(true);
    let worst = 0;
    ours.forEach((m, i) => MOUTH_PARAM_KEYS.forEach((k) => (worst = Math.max(worst, Math.abs(m.mouth[k] - theirs[i]!.mouth[k])))));
    // Chunked differently (the turn by its TTS chunks, the page by its clip chunks): equal up to float noise.
    expect(worst).toBeLessThan(2e-3);
  });
});
