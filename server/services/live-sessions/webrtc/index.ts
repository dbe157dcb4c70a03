import "server-only";

// WebRTC sessions: imported lazily by the create route, so a process that never answers an offer never loads libwebrtc.
export { openConversation } from "@/server/services/conversation";
export { createWebRtcSession, startStreaming } from "./start";
