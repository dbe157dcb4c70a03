import { CodedError } from "../coded-error";

/**
 * Why a rig cannot be built or compiled. `rig_malformed`: its structure is inconsistent (a corrupt
 * or foreign manifest); `rig_degenerate`: its geometry collapses (non-finite points, a mouth or eye
 * of no width), which a portrait builder reports as a face it cannot animate.
 */
export type RigErrorCode = "rig_malformed" | "rig_degenerate";

export class RigError extends CodedError<RigErrorCode> {
  override name = "RigError";
  /** `detail`: what is wrong, as a clause ("the mouth has no width"), for callers that word their own message. */
  constructor(
    code: RigErrorCode,
    readonly detail: string,
  ) {
    super(code, code === "rig_malformed" ? `The avatar rig is malformed (${detail}); prepare the avatar again.` : `The avatar rig cannot be animated: ${detail}.`);
  }
}
