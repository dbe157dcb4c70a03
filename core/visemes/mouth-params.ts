import { VISEMES, type VisemeName } from "./visemes";

/**
 * Mouth shape for the renderer (core/render consumes exactly this type).
 * Every field is 0..1; all zeros is the closed, relaxed mouth at rest.
 */
export interface MouthParams {
  /** Jaw drop: 0 closed, 1 fully open (aa). */
  jawOpen: number;
  /** Lip corners pulled sideways: 0 relaxed, 1 wide spread/smile (I, SS). */
  lipWidth: number;
  /** Lips rounded and pushed forward: 0 none, 1 tight pucker (U). */
  pucker: number;
  /** Lips pressed together (PP closure). */
  lipsPressed: number;
  /** Upper lip lifted to show teeth (FF, SS, CH). */
  upperLipRaise: number;
}

export const MOUTH_KEYS = ["jawOpen", "lipWidth", "pucker", "lipsPressed", "upperLipRaise"] as const;

/** Target shape of each viseme; a frame's target is the probability-weighted blend. */
export const VISEME_MOUTH: Record<VisemeName, MouthParams> = {
  sil: { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 },
  PP: { jawOpen: 0.02, lipWidth: 0.1, pucker: 0.1, lipsPressed: 1, upperLipRaise: 0 },
  FF: { jawOpen: 0.12, lipWidth: 0.3, pucker: 0, lipsPressed: 0.15, upperLipRaise: 0.55 },
  TH: { jawOpen: 0.25, lipWidth: 0.3, pucker: 0, lipsPressed: 0, upperLipRaise: 0.2 },
  DD: { jawOpen: 0.25, lipWidth: 0.4, pucker: 0, lipsPressed: 0, upperLipRaise: 0.15 },
  kk: { jawOpen: 0.35, lipWidth: 0.35, pucker: 0, lipsPressed: 0, upperLipRaise: 0.1 },
  CH: { jawOpen: 0.2, lipWidth: 0.1, pucker: 0.6, lipsPressed: 0, upperLipRaise: 0.35 },
  SS: { jawOpen: 0.1, lipWidth: 0.6, pucker: 0, lipsPressed: 0, upperLipRaise: 0.35 },
  nn: { jawOpen: 0.2, lipWidth: 0.35, pucker: 0, lipsPressed: 0, upperLipRaise: 0.1 },
  RR: { jawOpen: 0.2, lipWidth: 0.1, pucker: 0.45, lipsPressed: 0, upperLipRaise: 0.1 },
  aa: { jawOpen: 0.85, lipWidth: 0.35, pucker: 0, lipsPressed: 0, upperLipRaise: 0.1 },
  E: { jawOpen: 0.5, lipWidth: 0.6, pucker: 0, lipsPressed: 0, upperLipRaise: 0.1 },
  I: { jawOpen: 0.3, lipWidth: 0.85, pucker: 0, lipsPressed: 0, upperLipRaise: 0.15 },
  O: { jawOpen: 0.55, lipWidth: 0.05, pucker: 0.6, lipsPressed: 0, upperLipRaise: 0 },
  U: { jawOpen: 0.2, lipWidth: 0, pucker: 1, lipsPressed: 0, upperLipRaise: 0 },
};

// Time constants (seconds) for moving towards / away from a target. Closures
// are quick (a /p/ lasts ~60 ms and must visibly close); openings ease out.
const ATTACK: MouthParams = { jawOpen: 0.035, lipWidth: 0.05, pucker: 0.05, lipsPressed: 0.015, upperLipRaise: 0.04 };
const RELEASE: MouthParams = { jawOpen: 0.06, lipWidth: 0.08, pucker: 0.08, lipsPressed: 0.03, upperLipRaise: 0.06 };

/**
 * Coarticulation: blends viseme targets by probability, then follows the
 * blend with asymmetric first-order smoothing, so shapes glide instead of
 * snapping. Depends only on past frames, so streaming equals whole-file.
 */
export class MouthSmoother {
  private state: MouthParams = { ...VISEME_MOUTH.sil };
  private readonly up: number[];
  private readonly down: number[];

  constructor(frameSeconds = 0.01) {
    this.up = MOUTH_KEYS.map((k) => 1 - Math.exp(-frameSeconds / ATTACK[k]));
    this.down = MOUTH_KEYS.map((k) => 1 - Math.exp(-frameSeconds / RELEASE[k]));
  }

  /** Advances one frame with that frame's 15 probabilities; returns a fresh MouthParams. */
  next(probs: ArrayLike<number>, offset = 0): MouthParams {
    const out = { ...this.state };
    MOUTH_KEYS.forEach((k, i) => {
      let target = 0;
      for (let v = 0; v < VISEMES.length; v++) target += probs[offset + v]! * VISEME_MOUTH[VISEMES[v]!][k];
      const cur = this.state[k];
      const a = target > cur ? this.up[i]! : this.down[i]!;
      out[k] = Math.min(1, Math.max(0, cur + a * (target - cur)));
    });
    this.state = out;
    return out;
  }
}
