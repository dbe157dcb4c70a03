// Live sessions over WebRTC end to end: the REST create with a Node peer's SDP offer (libwebrtc on
// both ends, loopback host candidates), the production conversation loop on a prepared portrait
// avatar, the question spoken into the Opus microphone track, the avatar's voice arriving on the
// remote track and its events + mux records on the data channel; barge-in silences the track; a
// server-rendered session sends video frames; bad offers are coded 422s; closing the peer ends it.
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { MuxReader } from "@/core/mux";
import { realtimeSessions } from "@/server/db/schema";
import { callRoute } from "@/server/http/testing/test-api";
import { joinPcm, silence, spoken } from "../../speech/testing/speech-audio";
import { useTurnWorld } from "../../realtime/testing/turn-fixture";
import { PeerClient, VOICE_PEAK } from "./testing/peer-client";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
  process.env.REALTIME_WEBRTC_CONNECT_TIMEOUT_MS ??= "1500";
  process.env.REALTIME_SESSION_DISCONNECT_GRACE_MS ??= "200";
});

const OPENING = "The station opens at nine in the morning and closes at six in the evening.";
const world = useTurnWorld("webrtc-live", 600_000_000, {
  persona: "You are Ada, the station guide.",
  knowledge: [{ question: "When does the station open?", answer: OPENING }],
});

async function create(body: Record<string, unknown>) {
  const { POST } = await import("@/app/api/v1/realtime/sessions/route");
  const res = await callRoute(POST, { method: "POST", path: "/api/v1/realtime/sessions", key: world.caller.key, body: { outputModality: "audio", avatar_id: world.avatarId, ...body } });
  return { status: res.status, body: (await res.json()) as { session_id: string; code?: string; transport: { type: string; sdp: string }; url: string } };
}

async function row(id: string) {
  const [r] = await world.db.select().from(realtimeSessions).where(eq(realtimeSessions.id, id));
  return r!;
}

const loud = (voice: PeerClient["voice"], from: number, to = Infinity) => voice.filter((v) => v.at > from && v.at <= to && v.peak > VOICE_PEAK).length;

describe("a live session over WebRTC", () => {
  it("answers the offer; a spoken question is answered on the voice track with motion on the data channel; barge-in silences it; closing the peer ends the session", async () => {
    const peer = new PeerClient();
    try {
      const created = await create({ transport: { type: "webrtc", sdp: await peer.offer() }, turn_detection: { type: "server_vad", silence_duration_ms: 400 } });
      expect(created.status).toBe(201);
      expect(created.body.transport.type).toBe("webrtc");
      expect(created.body.transport.sdp).toMatch(/^v=0/);
      expect(created.body.transport.sdp).toMatch(/a=candidate:.* typ host/);
      await peer.accept(created.body.transport.sdp);
      await peer.opened;
      await peer.next("session.created", 20_000);

      await peer.speak(joinPcm(silence(300), await spoken("When does the station open?"), silence(200)));
      const heard = await peer.next("conversation.item.input_audio_transcription.completed", 30_000);
      expect(heard.transcript.length).toBeGreaterThan(0);
      await vi.waitFor(() => expect(peer.voiceAfter(peer.lastSpokenAt)).not.toBeNull(), { timeout: 30_000, interval: 50 });
      const done = await peer.next("response.done", 60_000);
      expect(done.response.status).toBe("completed");
      expect(done.response.usage.speech_ms).toBeGreaterThan(500);
      console.log(`over WebRTC heard "${heard.transcript}"; answered with ${done.response.usage.speech_ms} ms of speech`);
      const reader = new MuxReader();
      const kinds = new Set(peer.binaries.flatMap((b) => reader.push(b).map((r) => r.kind)));
      expect([...kinds]).toEqual(expect.arrayContaining(["header", "audio", "motion"]));

      // Barge-in: a second question while the avatar answers the first (asked in writing).
      peer.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "When does the station open?" }] } });
      await vi.waitFor(() => expect(peer.events.filter((e) => e.type === "status" && e.status === "speaking").length).toBeGreaterThanOrEqual(2), { timeout: 30_000, interval: 50 });
      void peer.speak(joinPcm(await spoken("Stop, tell me about tickets."), silence(200)));
      const interrupted = await peer.next("response.interrupted", 20_000);
      expect(interrupted.reason).toBe("barge_in");
      const cutAt = performance.now();
      // The track goes silent: what still sounds after the cut is the jitter buffer's tail (0–160 ms here,
      // also on a loaded machine), not the server's queued lead (with the queue kept, 820–880 ms sounded);
      // then nothing until the next answer begins.
      await new Promise((r) => setTimeout(r, 1500));
      // The next answer's voice cannot come before its response.created.
      const next = peer.events.findIndex((e, i) => e.type === "response.created" && i > peer.events.indexOf(interrupted));
      const nextAt = next >= 0 ? peer.eventAt[next]! : Infinity;
      expect(loud(peer.voice, cutAt - 2000, cutAt)).toBeGreaterThan(0);
      const tail = loud(peer.voice, cutAt, Math.min(nextAt, cutAt + 1500));
      console.log(`after response.interrupted: ${tail * 10} ms of voice (the jitter buffer's tail)`);
      expect(tail * 10).toBeLessThan(500);
      expect(loud(peer.voice, cutAt + 1000, Math.min(nextAt, cutAt + 1500))).toBe(0);

      peer.close();
      await vi.waitFor(async () => expect(await row(created.body.session_id)).toMatchObject({ status: "ended", endReason: "client_closed" }), { timeout: 10_000, interval: 100 });
    } finally {
      peer.close();
    }
  });

  it('render: "server" sends the avatar as a video track', async () => {
    const peer = new PeerClient({ video: true });
    try {
      const created = await create({ transport: { type: "webrtc", sdp: await peer.offer() }, render: "server", input: "text" });
      expect(created.status).toBe(201);
      await peer.accept(created.body.transport.sdp);
      await peer.opened;
      await peer.next("session.created", 20_000);
      peer.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "When does the station open?" }] } });
      await peer.next("response.done", 60_000);
      await vi.waitFor(() => expect(peer.videoFrames).toBeGreaterThan(5), { timeout: 10_000, interval: 100 });
    } finally {
      peer.close();
    }
  });

  it("seed 002's streaming.start: a created session starts over WebRTC with the offer; a second start is refused", async () => {
    const peer = new PeerClient();
    try {
      const created = await create({ input: "text" });
      expect(created.status).toBe(201);
      const { POST } = await import("@/app/api/v1/realtime/streaming.start/route");
      const start = async (sdp: string) => {
        const res = await callRoute(POST, { method: "POST", path: "/api/v1/realtime/streaming.start", key: world.caller.key, body: { session_id: created.body.session_id, sdp: { type: "offer", sdp } } });
        return { status: res.status, body: (await res.json()) as { status: string; code?: string; sdp: { type: string; sdp: string } } };
      };
      const started = await start(await peer.offer());
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ status: "started", sdp: { type: "answer" } });
      await peer.accept(started.body.sdp.sdp);
      await peer.opened;
      await peer.next("session.created", 20_000);
      peer.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "When does the station open?" }] } });
      await peer.next("response.done", 60_000);
      expect(peer.events.flatMap((e) => (e.type === "response.text.delta" ? [e.delta] : [])).join("").trim()).toBe(OPENING);
      const other = new PeerClient();
      const again = await start(await other.offer());
      other.close();
      expect(again.status).toBe(409);
    } finally {
      peer.close();
    }
  });

  it("a malformed or unusable offer is a coded 422 and creates no session; a peer that never connects ends its session", async () => {
    const garbage = await create({ transport: { type: "webrtc", sdp: "hello" } });
    expect(garbage.status).toBe(422);
    expect(garbage.body.code).toBe("invalid_sdp");
    const broken = await create({ transport: { type: "webrtc", sdp: "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" } });
    expect(broken.status).toBe(422);
    expect(broken.body.code).toBe("invalid_sdp");
    const noVideo = new PeerClient();
    try {
      const refused = await create({ transport: { type: "webrtc", sdp: await noVideo.offer() }, render: "server" });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe("invalid_sdp");
      // Never accepted: the server's peer waits REALTIME_WEBRTC_CONNECT_TIMEOUT_MS, then the grace.
      const abandoned = await create({ transport: { type: "webrtc", sdp: await noVideo.offer() } });
      expect(abandoned.status).toBe(201);
      await vi.waitFor(async () => expect(await row(abandoned.body.session_id)).toMatchObject({ status: "ended", endReason: "disconnected" }), { timeout: 15_000, interval: 200 });
    } finally {
      noVideo.close();
    }
  });
});
