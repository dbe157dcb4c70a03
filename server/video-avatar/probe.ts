import "server-only";
import { MediaError, runTool } from "@/server/media/ffmpeg";
import { VIDEO_LIMITS, VideoError } from "./errors";

export type VideoProbe = { width: number; height: number; seconds: number; fps: number; rotation: number };

const fmt = (s: number) => `${Math.round(s * 10) / 10} s`;

/** Reads the container (ffprobe) and refuses, before any decoding, a clip that is too short, too long or too large. */
export async function probeVideo(path: string): Promise<VideoProbe> {
  let out: string;
  try {
    const r = await runTool("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate,duration:stream_side_data=rotation:format=duration", "-of", "json", path], { timeoutMs: 30_000, maxOutputBytes: 1 << 20 });
    if (r.code !== 0) throw new Error(r.stderr.slice(-300));
    out = r.stdout.toString("utf8");
  } catch (cause) {
    if (cause instanceof MediaError && cause.code === "ffmpeg_missing") throw cause;
    throw new VideoError("video_unreadable", "The video could not be read. Upload an MP4, WebM or MOV file with a video track.", { cause });
  }
  const j = JSON.parse(out) as { streams?: { width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string; duration?: string; side_data_list?: { rotation?: number }[] }[]; format?: { duration?: string } };
  const v = j.streams?.[0];
  const rate = (r?: string) => {
    const [a, b] = (r ?? "0/1").split("/").map(Number);
    return a && b ? a / b : 0;
  };
  const width = v?.width ?? 0;
  const height = v?.height ?? 0;
  const seconds = Number(v?.duration ?? j.format?.duration ?? NaN);
  const fps = rate(v?.avg_frame_rate) || rate(v?.r_frame_rate);
  if (!v || !(width > 0 && height > 0) || !Number.isFinite(seconds) || !(fps > 0)) {
    throw new VideoError("video_unreadable", "The video has no readable video track (size, frame rate or duration missing). Re-encode it as H.264 MP4.");
  }
  if (seconds < VIDEO_LIMITS.minSeconds) {
    throw new VideoError("video_too_short", `The video is ${fmt(seconds)} long; at least ${VIDEO_LIMITS.minSeconds} s is needed to find a resting loop. Record a longer clip.`);
  }
  if (seconds > VIDEO_LIMITS.maxSeconds + 0.05) {
    throw new VideoError("video_too_long", `The video is ${fmt(seconds)} long; at most ${VIDEO_LIMITS.maxSeconds} s is accepted. Trim it to the calm part where the person faces the camera.`);
  }
  if (Math.max(width, height) > VIDEO_LIMITS.maxSide || width * height > VIDEO_LIMITS.maxPixels) {
    throw new VideoError("video_too_large", `The video is ${width}x${height} px; at most ${VIDEO_LIMITS.maxSide} px on a side and 3840x2160 px in all is accepted. Scale it down (1080p is plenty).`);
  }
  return { width, height, seconds, fps, rotation: Number(v.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0) };
}
