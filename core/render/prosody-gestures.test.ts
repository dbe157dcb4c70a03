import { describe, expect, it } from "vitest";
import { GESTURE_FPS, gestureForFrame, gestureTrack, ProsodyGestures } from "./prosody-gestures";

const RATE = 16_000;

/** Syllables: 180 ms voiced (harmonic) bursts with 120 ms pauses; the `stressed` ones louder and higher. */
function speech(count: number, stressed: Set<number>): Float32Array {
  const syl = Math.round(0.18 * RATE);
  const gap = Math.round(0.12 * RATE);
  const out = new Float32Array(count * (syl + gap) + gap);
  for (let s = 0; s < count; s++) {
    const hot = stressed.has(s);
    const f0 = hot ? 210 : 140;
    const amp = hot ? 0.5 : 0.15;
    const at = gap + s * (syl + gap);
    for (let i = 0; i < syl; i++) {
      const env = Math.sin((Math.PI * i) / syl);
      let v = 0;
      for (let h = 1; h <= 5; h++) v += Math.sin((2 * Math.PI * f0 * h * i) / RATE) / h;
      out[at + i] = amp * env * v * 0.5;
    }
  }
  return out;
}

const syllableAt = (s: number) => 0.12 + s * 0.3;

describe("prosody gestures", () => {
  it("nods and raises the brows after stressed syllables, not after plain ones", () => {
    const track = gestureTrack(speech(10, new Set([3, 7])), RATE);
    const peak = (s: number, k: "nod" | "brow") => {
      const a = Math.round(syllableAt(s) * GESTURE_FPS);
      return Math.max(...track.slice(a, a + 30).map((g) => g[k]));
    };
    for (const s of [3, 7]) {
      expect(peak(s, "nod"), `nod at ${s}`).toBeGreaterThan(0.3);
      expect(peak(s, "brow"), `brow at ${s}`).toBeGreaterThan(0.3);
    }
    // Plain syllables get no gesture of their own: none before the first stress, and after one its
    // pulse only decays through them.
    for (const s of [0, 1, 2]) expect(peak(s, "nod") + peak(s, "brow"), `syllable ${s}`).toBe(0);
    for (const s of [5, 6, 9]) {
      const a = Math.round(syllableAt(s) * GESTURE_FPS);
      for (let i = a + 1; i < a + 30; i++) expect(track[i]!.nod, `nod in syllable ${s}`).toBeLessThanOrEqual(track[i - 1]!.nod);
    }
    expect(track.every((g) => g.nod >= 0 && g.nod <= 1 && g.brow >= 0 && g.brow <= 1)).toBe(true);
  });

  it("is silent on silence and continuous (no step between 10 ms steps larger than a pulse's attack allows)", () => {
    expect(gestureTrack(new Float32Array(RATE), RATE).every((g) => g.brow === 0 && g.nod === 0)).toBe(true);
    const track = gestureTrack(speech(10, new Set([2, 6])), RATE);
    for (let i = 1; i < track.length; i++) expect(Math.abs(track[i]!.nod - track[i - 1]!.nod)).toBeLessThan(0.25);
  });

  it("streams: any chunking gives the same track as the whole file", () => {
    const pcm = speech(8, new Set([2, 5]));
    const whole = gestureTrack(pcm, RATE);
    const g = new ProsodyGestures(RATE);
    const parts = [];
    for (let at = 0; at < pcm.length; at += 777) parts.push(...g.push(pcm.subarray(at, at + 777)));
    expect(parts).toEqual(whole);
  });

  it("resamples to video frames by the mean over each frame", () => {
    const track = [{ brow: 0, nod: 0 }, { brow: 1, nod: 0.5 }, { brow: 1, nod: 0.5 }, { brow: 0, nod: 0 }];
    expect(gestureForFrame(track, 0.02, 50)).toEqual({ brow: 1, nod: 0.5 });
    expect(gestureForFrame([], 1, 25)).toEqual({ brow: 0, nod: 0 });
  });
});
