import "server-only";
import type { JobHandlers } from "../worker";
import { lipsyncRenderJob } from "./lipsync-render";
import { buildVideoCacheJob } from "./build-video-cache";
import { prepareAvatarJob } from "./prepare-avatar";
import { webhookDeliveryJob } from "./webhook-delivery";

/** Every job type a worker runs. */
export function allJobHandlers(): JobHandlers {
  return { "prepare-avatar": prepareAvatarJob, "build-video-cache": buildVideoCacheJob, "lipsync-render": lipsyncRenderJob(), "webhook-delivery": webhookDeliveryJob() };
}
