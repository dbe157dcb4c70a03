import "server-only";
import wrtc from "@roamhq/wrtc";
import { iceGathered } from "@/core/realtime/ice-gathering";
import type { Db } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { claimForCaller, claimSecret, recordEnd, type Claim } from "../connect";
import type { CreateSessionInput, StoredSessionConfig } from "../schemas";
import { createSession, getSessionRow, type Caller, type SessionRow, type SessionSettings } from "../sessions";
import { LiveConnection, type OpenConversation } from "../socket/connection";
import { holdSession, releaseSession } from "../socket/registry";
import { MediaOut } from "./media-out";
import { PeerTransport } from "./peer-transport";

// A session over WebRTC (seed 004's `transport: {type: "webrtc", sdp}`): the create call carries the
// client's SDP offer and answers with the server's SDP answer. The answer holds every ICE candidate
// (gathered before answering: no trickle), and the session is this process's from that moment, as a
// socket's is once connected: the REST caller spends the session's one connection, so its
// client_secret can open no socket beside it.


const invalidSdp = (message: string) => new AppError("invalid_sdp", `transport.sdp: ${message}`, { kind: "invalid_input", field: "transport.sdp" });

/** The offer's media sections, by kind, with their direction (sendrecv when none is given). */
function sections(sdp: string): { kind: string; direction: string }[] {
  return sdp
    .split(/\r?\n(?=m=)/)
    .slice(1)
    .map((block) => ({ kind: /^m=(\w+)/.exec(block)?.[1] ?? "", direction: /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(block)?.[1] ?? "sendrecv" }));
}

/** Refuses an offer this session cannot run on, with what to change. */
function checkOffer(sdp: string, render: "client" | "server"): void {
  if (!/^v=0\r?\n/.test(sdp)) throw invalidSdp("not an SDP offer (it must start with v=0); send pc.localDescription.sdp after setLocalDescription(await pc.createOffer()).");
  const media = sections(sdp);
  const audio = media.find((m) => m.kind === "audio");
  if (!audio || audio.direction === "sendonly" || audio.direction === "inactive") {
    throw invalidSdp("the offer needs an audio section that receives (sendrecv with the microphone, or recvonly): the avatar's voice is an audio track.");
  }
  if (!media.some((m) => m.kind === "application")) throw invalidSdp('the offer has no data channel: create one (pc.createDataChannel("events")) before createOffer; events and motion travel on it.');
  const video = media.find((m) => m.kind === "video");
  if (render === "server" && (!video || video.direction === "sendonly" || video.direction === "inactive")) {
    throw invalidSdp('render: "server" sends the avatar as a video track: add pc.addTransceiver("video", {direction: "recvonly"}) before createOffer.');
  }
}


/** A peer connection with the client's offer applied; a malformed or unusable offer is a coded 422. */
async function applyOffer(sdp: string, render: "client" | "server"): Promise<RTCPeerConnection> {
  checkOffer(sdp, render);
  const pc = new wrtc.RTCPeerConnection({ iceServers: getEnv().REALTIME_WEBRTC_ICE_SERVERS });
  try {
    await pc.setRemoteDescription({ type: "offer", sdp });
    return pc;
  } catch (error) {
    pc.close();
    throw invalidSdp(`the offer could not be applied (${(error as Error).message}).`);
  }
}

/**
 * Answers the offer on `pc` for a session and holds the session here: its tracks, the answer with
 * every candidate, the session's one connection claimed by `claim`, and the connection's loop.
 */
async function answerAndHold(db: Db, pc: RTCPeerConnection, sessionId: string, render: "client" | "server", claim: () => Promise<Claim>, open: OpenConversation): Promise<{ row: SessionRow; answer: string }> {
  const env = getEnv();
  const media = new MediaOut(render === "server");
  try {
    const stream = new wrtc.MediaStream();
    pc.addTrack(media.audioTrack, stream);
    if (media.videoTrack) pc.addTrack(media.videoTrack, stream);
    await pc.setLocalDescription(await pc.createAnswer());
    await iceGathered(pc);
    const claimed = await claim();
    if (!claimed.ok) {
      media.stop();
      pc.close();
      throw new AppError("conflict", `The session cannot take a connection: ${claimed.message}`, { field: "session_id" });
    }
    const transport = new PeerTransport(pc, media, env.REALTIME_WEBRTC_CONNECT_TIMEOUT_MS);
    const conn = new LiveConnection(transport, claimed.row, { db, open, log: logger, disconnectGraceMs: env.REALTIME_SESSION_DISCONNECT_GRACE_MS, onEnded: releaseSession });
    holdSession(conn);
    return { row: claimed.row, answer: pc.localDescription!.sdp };
  } catch (error) {
    if (error instanceof AppError) throw error;
    media.stop();
    pc.close();
    logger.error({ err: error, sessionId }, "could not answer a WebRTC session's offer");
    await recordEnd(db, sessionId, "error", { speechMs: 0, creditMicros: 0 }).catch(() => undefined);
    throw new AppError("unavailable", "The WebRTC answer could not be made; retry, or use transport websocket.", { kind: "unavailable", retryable: true });
  }
}

/** Creates a WebRTC session (seed 004): checks the offer, creates the session, answers, and holds it here. */
export async function createWebRtcSession(db: Db, caller: Caller, input: CreateSessionInput & { transport: { type: "webrtc"; sdp: string } }, settings: SessionSettings, open: OpenConversation) {
  const pc = await applyOffer(input.transport.sdp, input.render);
  let created: Awaited<ReturnType<typeof createSession>>;
  try {
    created = await createSession(db, caller, input, settings);
  } catch (error) {
    pc.close();
    throw error;
  }
  const { row, answer } = await answerAndHold(db, pc, created.row.id, input.render, () => claimSecret(db, created.row.id, created.secret), open);
  return { row, secret: created.secret, answer };
}

/**
 * Seed 002's `streaming.start`: a session created earlier (any transport, not yet connected) starts
 * over WebRTC with this offer. The caller's API key stands for the client secret, which is spent.
 */
export async function startStreaming(db: Db, caller: Caller, sessionId: string, offer: string, open: OpenConversation): Promise<{ row: SessionRow; answer: string }> {
  const row = await getSessionRow(db, caller, sessionId);
  const render = (row.config as unknown as StoredSessionConfig).render;
  if (row.status !== "created") throw new AppError("conflict", `session_id: this session is ${row.status}; streaming.start takes a session that has not connected yet (create a new one).`, { field: "session_id" });
  const pc = await applyOffer(offer, render);
  return answerAndHold(db, pc, row.id, render, () => claimForCaller(db, caller.tenantId, row.id), open);
}
