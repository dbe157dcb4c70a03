import "server-only";

export { createVideoInput, createVideoQuery, listVideosQuery, VIDEO_EMOTIONS, VIDEO_LANGUAGES } from "./schemas";
export { createVideo, deleteVideo, finishVideo, getVideo, listVideos, toVideoJson, type VideoOwner, type VideoRow } from "./videos";
export { publicVideo, serveVideoFile } from "./public-file";
export { streamWhileRendering } from "./stream-answer";
export { listPresets } from "./presets";
