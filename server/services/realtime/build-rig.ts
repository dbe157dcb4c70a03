import "server-only";
import { AppError } from "@/server/errors";
import { PortraitError } from "@/server/portrait/errors";
import type { PrepareResult } from "@/server/portrait/prepare";
import { preparePortraitInChild } from "@/server/portrait/prepare-in-child";

/**
 * A source the engine cannot animate; `reason` is its PortraitError or VideoError code (face_not_found,
 * video_scene_cut …, see server/portrait/errors.ts, server/video-avatar/errors.ts). Portraits answer
 * the public code invalid_input (as they always have); source videos answer their own code.
 */
export class RigRejected extends AppError {
  constructor(
    readonly reason: string,
    message: string,
    publicCode = "invalid_input",
  ) {
    super(publicCode, message, { kind: "invalid_input", field: "sourceAssetId", retryable: false });
  }
}

/** Builds a rig from portrait bytes in a child Node process, in the service layer's error codes. */
export async function buildRigInChild(image: Uint8Array, root = process.cwd()): Promise<PrepareResult> {
  try {
    return await preparePortraitInChild(image, { root });
  } catch (error) {
    if (error instanceof PortraitError) throw new RigRejected(error.code, error.message);
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError("unavailable", `The portrait engine failed; retry later. (${detail})`, { cause: error, retryable: true });
  }
}
