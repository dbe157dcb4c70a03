/**
 * Mouth shape of one frame, each 0..1: the contract between the viseme engine and the renderers.
 * Mirrors core/visemes/mouth-params.ts (structural typing keeps them interchangeable).
 */
export type MouthParams = {
  jawOpen: number;
  lipWidth: number;
  pucker: number;
  lipsPressed: number;
  upperLipRaise: number;
};

/** A closed, relaxed mouth: what the avatar shows in silence. */
export const RESTING_MOUTH: MouthParams = { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };
