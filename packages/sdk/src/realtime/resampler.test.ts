import { describe, expect, it } from "vitest";
import { micWorkletSource, MIC_PROCESSOR } from "./mic-worklet";
import { createPcmResampler } from "./resampler";

const tone = (hz: number, rate: number, seconds: number, amp = 0.5) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (x: Int16Array, from = 0) => Math.sqrt(x.subarray(from).reduce((s, v) => s + (v / 32768) ** 2, 0) / (x.length - from));
// Zero crossings per second, an estimate of the frequency that came out.
const crossings = (x: Int16Array, rate: number) => {
  let n = 0;
  for (let i = 1; i < x.length; i++) if ((x[i - 1]! < 0) !== (x[i]! < 0)) n++;
  return n / 2 / (x.length / rate);
};

describe("createPcmResampler", () => {
  it("turns 48 kHz float into 16 kHz PCM16 with the tone's pitch and level", () => {
    const out = createPcmResampler(48_000, 16_000).process(tone(440, 48_000, 1));
    expect(out.length).toBe(16_000);
    expect(crossings(out, 16_000)).toBeCloseTo(440, -1);
    // 0.5 amplitude sine: RMS 0.354; the 3-tap average barely touches 440 Hz.
    expect(rms(out)).toBeGreaterThan(0.34);
    expect(rms(out)).toBeLessThan(0.36);
  });

  it("gives the same samples whatever the chunking (a worklet's 128-frame blocks)", () => {
    const input = tone(1000, 44_100, 0.5);
    const whole = createPcmResampler(44_100, 16_000).process(input);
    const r = createPcmResampler(44_100, 16_000);
    const parts: Int16Array[] = [];
    for (let i = 0; i < input.length; i += 128) parts.push(r.process(input.subarray(i, i + 128)));
    const joined = Int16Array.from(parts.flatMap((p) => [...p]));
    expect(joined.length).toBe(whole.length);
    expect(Math.max(...joined.map((v, i) => Math.abs(v - whole[i]!)))).toBeLessThanOrEqual(1);
  });

  it("attenuates what would fold into the speech band (15 kHz at a 16 kHz output)", () => {
    const high = createPcmResampler(48_000, 16_000).process(tone(15_000, 48_000, 0.5));
    const low = createPcmResampler(48_000, 16_000).process(tone(300, 48_000, 0.5));
    expect(rms(high, 10) / rms(low, 10)).toBeLessThan(0.35);
  });

  it("clips out-of-range input instead of wrapping around", () => {
    const out = createPcmResampler(16_000, 16_000).process(Float32Array.of(2, -2, 1, -1, 0));
    expect([...out]).toEqual([32767, -32768, 32767, -32768, 0]);
  });
});

describe("the capture worklet", () => {
  it("runs the resampler from its own source and posts 20 ms PCM16 frames", () => {
    const posted: Int16Array[] = [];
    let registered: { name: string; ctor: new (o: unknown) => { process(i: Float32Array[][]): boolean; port: { onmessage: ((e: { data: unknown }) => void) | null } } } | null = null;
    class AudioWorkletProcessor {
      // As a MessagePort does: a transferred buffer is detached on the sending side.
      port = {
        postMessage: (m: Int16Array, transfer: ArrayBuffer[]) => {
          // A processor that posts empty frames in a loop floods (and freezes) the page: fail instead.
          if (m.length === 0 || posted.length > 100) throw new Error(`posted a frame of ${m.length} samples (frame ${posted.length})`);
          posted.push(structuredClone(m, { transfer }));
        },
        onmessage: null as ((e: { data: unknown }) => void) | null,
      };
    }
    const load = new Function("AudioWorkletProcessor", "registerProcessor", "sampleRate", micWorkletSource());
    load(AudioWorkletProcessor, (name: string, ctor: never) => (registered = { name, ctor }), 48_000);
    expect(registered!.name).toBe(MIC_PROCESSOR);
    const node = new registered!.ctor({ processorOptions: { outputRate: 16_000, frameSamples: 320 } });
    const input = tone(440, 48_000, 0.2);
    for (let i = 0; i < input.length; i += 128) expect(node.process([[input.subarray(i, i + 128)]])).toBe(true);
    // 0.2 s at 16 kHz = 3200 samples = 10 whole frames of 320.
    expect(posted).toHaveLength(10);
    expect(posted.every((f) => f instanceof Int16Array && f.length === 320)).toBe(true);
    expect([...posted.flatMap((f) => [...f])]).toEqual([...createPcmResampler(48_000, 16_000).process(input)].slice(0, 3200));
    node.port.onmessage!({ data: "stop" });
    expect(node.process([[input.subarray(0, 128)]])).toBe(false);
  });
});
