import type { MouthParams } from "../visemes/mouth-params";

export type { MouthParams };

/** A closed, relaxed mouth: what the avatar shows in silence. */
export const RESTING_MOUTH: MouthParams = { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };
