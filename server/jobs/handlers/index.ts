import "server-only";
import type { JobHandlers } from "../worker";
import { lipsyncRenderJob } from "./lipsync-render";
import { prepareAvatarJob } from "./prepare-avatar";

/** Every job type a worker runs. webhook-delivery has none yet: the platform sends no outbound webhooks. */
export function allJobHandlers(): JobHandlers {
  return { "prepare-avatar": prepareAvatarJob, "lipsync-render": lipsyncRenderJob() };
}
