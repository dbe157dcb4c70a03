export { VISEMES, COARSE_GROUPS, COARSE_OF, argmaxRow, pickViseme, type VisemeName, type CoarseGroup } from "./visemes";
export { VisemeError, type VisemeErrorCode } from "./errors";
export { VISEME_MODEL, VISEME_MODEL_PATH, type VisemeModelSpec } from "./model-spec";
export { createOrtRunner, initialState, type ModelState, type VisemeModelRunner, type OrtLike, type OrtSessionLike } from "./runner";
export { MouthSmoother, VISEME_MOUTH, MOUTH_KEYS, type MouthParams } from "./mouth-params";
export { VisemeStream, analyzeVisemes, VISEME_FPS, type VisemeFrame } from "./engine";
export { toFpsTrack, toTsv, toRhubarb, RHUBARB_OF, type JsonTrack, type RhubarbJson, type RhubarbShape } from "./formats";
