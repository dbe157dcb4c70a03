import type { LoopPlan } from "@/core/video/video-frames";

/**
 * Decodes a source-video avatar's loop MP4 once, in the page, with a <video> element (every browser
 * with H.264 has it; WebCodecs would need an MP4 demuxer): one ImageBitmap per plan frame, seeked to
 * the frame's centre, at `size` (the plan's output size unless given), colours as stored.
 */
export async function decodeLoopFrames(url: string, plan: LoopPlan, size = plan.output.size): Promise<ImageBitmap[]> {
  const video = document.createElement("video");
  video.muted = true;
  video.preload = "auto";
  video.playsInline = true;
  const once = (event: "loadeddata" | "seeked") =>
    new Promise<void>((resolve, reject) => {
      video.addEventListener(event, () => resolve(), { once: true });
      video.addEventListener("error", () => reject(new Error(`the loop video could not be decoded (${video.error?.message || `code ${video.error?.code}`})`)), { once: true });
    });
  const loaded = once("loadeddata");
  video.src = url;
  await loaded;
  const frames: ImageBitmap[] = [];
  for (let k = 0; k < plan.rigTrack.length; k++) {
    const seeked = once("seeked");
    video.currentTime = (k + 0.5) / plan.output.fps;
    await seeked;
    frames.push(await createImageBitmap(video, { colorSpaceConversion: "none", premultiplyAlpha: "none", resizeWidth: size, resizeHeight: size, resizeQuality: "high" }));
  }
  video.removeAttribute("src");
  video.load();
  return frames;
}
