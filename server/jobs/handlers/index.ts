import "server-only";
import type { JobHandlers } from "../worker";
import { lipsyncRenderJob } from "./lipsync-render";
import { prepareAvatarJob } from "./prepare-avatar";
import { webhookDeliveryJob } from "./webhook-delivery";

/** Every job type a worker runs. */
export function allJobHandlers(): JobHandlers {
  return { "prepare-avatar": prepareAvatarJob, "lipsync-render": lipsyncRenderJob(), "webhook-delivery": webhookDeliveryJob() };
}
