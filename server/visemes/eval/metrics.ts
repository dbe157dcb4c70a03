import "server-only";
import { COARSE_OF, type VisemeName } from "@/core/visemes/visemes";

/** Frames of one reference viseme: how many, how many predicted exactly, and what was predicted instead. */
export type VisemeRecall = { frames: number; hits: number; predictedInstead: Partial<Record<VisemeName, number>> };

/** Frame accuracy on the 15 visemes and on the coarse groups of COARSE_OF, and per reference viseme. */
export class AccuracyCounter {
  frames = 0;
  exact = 0;
  coarse = 0;
  readonly byLabel = new Map<VisemeName, VisemeRecall>();

  /** Scores predictions against labels frame by frame; frames past either end count as wrong predictions of "sil". */
  add(labels: (VisemeName | null)[], predicted: (VisemeName | null)[]) {
    labels.forEach((l, i) => {
      if (l === null) return;
      const p = predicted[i] ?? "sil";
      this.frames++;
      if (p === l) this.exact++;
      if (COARSE_OF[p] === COARSE_OF[l]) this.coarse++;
      let r = this.byLabel.get(l);
      if (!r) this.byLabel.set(l, (r = { frames: 0, hits: 0, predictedInstead: {} }));
      r.frames++;
      if (p === l) r.hits++;
      else r.predictedInstead[p] = (r.predictedInstead[p] ?? 0) + 1;
    });
  }

  merge(o: AccuracyCounter) {
    this.frames += o.frames;
    this.exact += o.exact;
    this.coarse += o.coarse;
    for (const [l, r] of o.byLabel) {
      const mine = this.byLabel.get(l) ?? { frames: 0, hits: 0, predictedInstead: {} };
      mine.frames += r.frames;
      mine.hits += r.hits;
      for (const [p, n] of Object.entries(r.predictedInstead) as [VisemeName, number][]) mine.predictedInstead[p] = (mine.predictedInstead[p] ?? 0) + n;
      this.byLabel.set(l, mine);
    }
  }

  /** Per reference viseme in VISEMES order: frames, recall, and the most frequent wrong prediction. */
  recall(order: readonly VisemeName[]) {
    return order.filter((v) => this.byLabel.has(v)).map((v) => {
      const r = this.byLabel.get(v)!;
      const [instead, n] = (Object.entries(r.predictedInstead) as [VisemeName, number][]).sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
      return { viseme: v, frames: r.frames, recall: r.hits / r.frames, mostConfusedWith: instead, mostConfusedShare: n / r.frames };
    });
  }

  get accuracy() {
    return this.frames ? this.exact / this.frames : 0;
  }

  get coarseAccuracy() {
    return this.frames ? this.coarse / this.frames : 0;
  }
}
