import "server-only";
import { prng } from "@/core/mux/sample-stream";

/** One utterance's frame counts: scored frames, exact-viseme hits, coarse-group hits, and its voice. */
export type UtteranceScore = { group: string; frames: number; exact: number; coarse: number };

export type Interval = { low: number; high: number };

/** Resamples per interval, the figure bench:visemes prints beside it. */
export const BOOTSTRAP_RESAMPLES = 2000;

/**
 * A 95% percentile-bootstrap interval for pooled frame accuracy, resampling whole utterances
 * within each group (voice), so every resample keeps the judging set's voice mix. Frames of one
 * utterance are strongly correlated, so the utterance, not the frame, is the unit of sampling:
 * the interval says how far another draw of as many sentences from the same voices could move
 * the figure. Deterministic for a given seed.
 */
export function bootstrapAccuracy(scores: UtteranceScore[], resamples = BOOTSTRAP_RESAMPLES, seed = 1): { accuracy: Interval; coarseAccuracy: Interval } {
  if (!scores.length) return { accuracy: { low: 0, high: 0 }, coarseAccuracy: { low: 0, high: 0 } };
  const groups = new Map<string, UtteranceScore[]>();
  for (const s of scores) {
    const members = groups.get(s.group);
    if (members) members.push(s);
    else groups.set(s.group, [s]);
  }
  const rand = prng(seed);
  const exact: number[] = [];
  const coarse: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let frames = 0;
    let e = 0;
    let c = 0;
    for (const members of groups.values()) {
      for (let k = 0; k < members.length; k++) {
        const s = members[Math.floor(rand() * members.length)]!;
        frames += s.frames;
        e += s.exact;
        c += s.coarse;
      }
    }
    exact.push(frames ? e / frames : 0);
    coarse.push(frames ? c / frames : 0);
  }
  return { accuracy: percentiles(exact), coarseAccuracy: percentiles(coarse) };
}

function percentiles(values: number[]): Interval {
  const v = values.sort((a, b) => a - b); // the caller's own scratch array
  const at = (q: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(q * (v.length - 1))))]!;
  return { low: at(0.025), high: at(0.975) };
}
