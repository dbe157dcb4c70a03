import "server-only";
import { COARSE_OF, type VisemeName } from "@/core/visemes/visemes";

/** Frame accuracy on the 15 visemes and on the coarse groups of COARSE_OF. */
export class AccuracyCounter {
  frames = 0;
  exact = 0;
  coarse = 0;

  /** Scores predictions against labels frame by frame; frames past either end count as wrong predictions of "sil". */
  add(labels: (VisemeName | null)[], predicted: (VisemeName | null)[]) {
    labels.forEach((l, i) => {
      if (l === null) return;
      const p = predicted[i] ?? "sil";
      this.frames++;
      if (p === l) this.exact++;
      if (COARSE_OF[p] === COARSE_OF[l]) this.coarse++;
    });
  }

  merge(o: AccuracyCounter) {
    this.frames += o.frames;
    this.exact += o.exact;
    this.coarse += o.coarse;
  }

  get accuracy() {
    return this.frames ? this.exact / this.frames : 0;
  }

  get coarseAccuracy() {
    return this.frames ? this.coarse / this.frames : 0;
  }
}
