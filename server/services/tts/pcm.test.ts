import { describe, expect, it } from "vitest";
import { parseWavHeader, Pcm16Assembler } from "./pcm";

function le16(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setInt16(i * 2, v, true));
  return bytes;
}

describe("Pcm16Assembler", () => {
  it("reassembles samples split at every byte position", () => {
    const values = [0, 1, -1, 32767, -32768, 12345, -54, 256];
    const bytes = le16(values);
    for (let cut = 0; cut <= bytes.length; cut++) {
      for (let cut2 = cut; cut2 <= bytes.length; cut2++) {
        const a = new Pcm16Assembler();
        const out = [...a.push(bytes.subarray(0, cut)), ...a.push(bytes.subarray(cut, cut2)), ...a.push(bytes.subarray(cut2))];
        expect(out).toEqual(values);
        expect(a.pending).toBe(false);
      }
    }
  });

  it("reports a dangling half sample", () => {
    const a = new Pcm16Assembler();
    expect([...a.push(new Uint8Array([1, 0, 7]))]).toEqual([1]);
    expect(a.pending).toBe(true);
  });
});

describe("parseWavHeader", () => {
  const header = (extra: Uint8Array = new Uint8Array(0)) => {
    const out = new Uint8Array(44 + extra.length);
    const v = new DataView(out.buffer);
    const ascii = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
    ascii(0, "RIFF");
    v.setUint32(4, 0x7fffffff, true); // espeak-ng's streaming placeholder
    ascii(8, "WAVE");
    ascii(12, "fmt ");
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true);
    v.setUint16(22, 1, true);
    v.setUint32(24, 22050, true);
    v.setUint16(34, 16, true);
    ascii(36, "data");
    v.setUint32(40, 0x7fffffff, true);
    out.set(extra, 44);
    return out;
  };

  it("needs the whole header, then gives the format and where data starts", () => {
    const h = header(new Uint8Array([1, 2]));
    for (let n = 0; n < 44; n++) expect(parseWavHeader(h.subarray(0, n))).toBeNull();
    expect(parseWavHeader(h)).toEqual({ sampleRate: 22050, channels: 1, bitsPerSample: 16, dataOffset: 44 });
  });

  it("rejects what is not a PCM WAV", () => {
    expect(() => parseWavHeader(new TextEncoder().encode("<html>not audio</html>"))).toThrow(/RIFF/);
    const h = header();
    new DataView(h.buffer).setUint16(20, 3, true);
    expect(() => parseWavHeader(h)).toThrow(/not PCM/);
  });
});
