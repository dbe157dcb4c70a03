import "server-only";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { decodeWav } from "@/server/media/wav";
import { VISEMES, type VisemeName } from "@/core/visemes/visemes";

export type EvalItem = {
  name: string;
  samples: Float32Array; // 16 kHz mono
  sampleRate: number;
  /** Reference viseme per 10 ms frame (null: unlabelled phoneme, not scored). */
  labels: (VisemeName | null)[];
  /** voice: the voice (or, for the platform set, the TTS condition) that spoke it; sex: female / male / child / "-". */
  meta: { lang?: string; engine?: string; voice?: string; sex?: string; clean?: boolean; ops?: string[] };
};

/**
 * Reads NAME.wav + NAME.json pairs written by training/visemes/generate.py.
 * `limit` takes an evenly spaced subset so languages and voices stay mixed.
 */
export function loadEvalSet(dir: string, limit = Infinity): EvalItem[] {
  const names = readdirSync(dir).filter((f) => f.endsWith(".wav")).map((f) => f.slice(0, -4)).sort();
  const step = names.length > limit ? names.length / limit : 1;
  const picked = names.length > limit ? Array.from({ length: limit }, (_, i) => names[Math.floor(i * step)]!) : names;
  return picked.map((name) => {
    const { samples, sampleRate } = decodeWav(readFileSync(join(dir, `${name}.wav`)));
    const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as EvalItem["meta"] & { labels: (string | null)[] };
    const labels = meta.labels.map((l) => (l !== null && (VISEMES as readonly string[]).includes(l) ? (l as VisemeName) : null));
    return { name, samples, sampleRate, labels, meta: { lang: meta.lang, engine: meta.engine, voice: meta.voice, sex: meta.sex, clean: meta.clean, ops: meta.ops } };
  });
}
