// Picks the server-side WebRTC library by measurement (docs/realtime-sessions.md "WebRTC"): each
// candidate answers an offer from Debian's Chromium over loopback (time to `connected`, data-channel
// round trip), and, where the library can carry PCM, an audio echo round trip and the CPU of a
// session streaming audio both ways. Run: `npm run bench:webrtc-libraries`.
import wrtc from "@roamhq/wrtc";
import { chromium } from "@playwright/test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as werift from "werift";
import { BASE_FLAGS, CHROMIUM } from "../e2e/chromium";

type Answerer = { name: string; answer(offer: string): Promise<{ sdp: string; connected: Promise<void>; close(): void }> };
type AudioData = { samples: Int16Array; sampleRate: number; channelCount?: number };

const ms = (t0: number) => Math.round(performance.now() - t0);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

const wrtcAnswerer: Answerer = {
  name: "@roamhq/wrtc",
  async answer(offer) {
    const pc = new wrtc.RTCPeerConnection();
    pc.ondatachannel = (e) => (e.channel.onmessage = (m) => e.channel.send(String(m.data)));
    const connected = new Promise<void>((ok) => (pc.onconnectionstatechange = () => pc.connectionState === "connected" && ok()));
    await pc.setRemoteDescription({ type: "offer", sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise<void>((ok) => (pc.iceGatheringState === "complete" ? ok() : (pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && ok())));
    return { sdp: pc.localDescription!.sdp, connected, close: () => pc.close() };
  },
};

const weriftAnswerer: Answerer = {
  name: "werift",
  async answer(offer) {
    const pc = new werift.RTCPeerConnection({});
    pc.onDataChannel.subscribe((ch) => ch.onMessage.subscribe((m) => ch.send(String(m))));
    const connected = new Promise<void>((ok) => pc.connectionStateChange.subscribe((s) => s === "connected" && ok()));
    await pc.setRemoteDescription({ type: "offer", sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    return { sdp: pc.localDescription!.sdp, connected, close: () => void pc.close() };
  },
};

/** Chromium offers (a data channel and its fake microphone); `lib` answers; connect time and 50 data-channel round trips. */
async function withChromium(libs: Answerer[]) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_FLAGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"] });
  const out: Record<string, { connectMs: number; dcRttP50Ms: number }> = {};
  // getUserMedia needs a secure context: a page from localhost is one, about:blank is not.
  const http = createServer((_q, r) => r.end("<!doctype html><title>probe</title>"));
  await new Promise<void>((ok) => http.listen(0, "127.0.0.1", ok));
  const origin = `http://localhost:${(http.address() as AddressInfo).port}/`;
  try {
    for (const lib of libs) {
      const page = await browser.newPage();
      await page.goto(origin);
      const t0 = performance.now();
      const offer = await page.evaluate(async () => {
        const pc = new RTCPeerConnection();
        const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
        pc.addTrack(mic.getAudioTracks()[0]!, mic);
        const dc = pc.createDataChannel("events");
        Object.assign(window, { pc, dc });
        await pc.setLocalDescription(await pc.createOffer());
        await new Promise<void>((ok) => (pc.iceGatheringState === "complete" ? ok() : pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && ok())));
        return pc.localDescription!.sdp;
      });
      const server = await lib.answer(offer);
      const rtts = await page.evaluate(async (sdp) => {
        const { pc, dc } = window as unknown as { pc: RTCPeerConnection; dc: RTCDataChannel };
        await pc.setRemoteDescription({ type: "answer", sdp });
        await new Promise<void>((ok) => (dc.readyState === "open" ? ok() : (dc.onopen = () => ok())));
        const times: number[] = [];
        for (let i = 0; i < 50; i++) {
          const t = performance.now();
          await new Promise<void>((ok) => {
            dc.onmessage = () => ok();
            dc.send(`ping ${i}`);
          });
          times.push(performance.now() - t);
        }
        return times;
      }, server.sdp);
      await server.connected;
      out[lib.name] = { connectMs: ms(t0), dcRttP50Ms: Math.round(pct(rtts, 50) * 10) / 10 };
      server.close();
      await page.close();
    }
  } finally {
    await browser.close();
    http.close();
  }
  return out;
}

/** wrtc on both ends in this process: the server echoes the client's audio track back; a tone burst's onset is timed; CPU over the run. */
async function wrtcAudioEcho(seconds = 10) {
  const { RTCPeerConnection, nonstandard } = wrtc;
  const client = new RTCPeerConnection();
  const server = new RTCPeerConnection();
  const micSource = new nonstandard.RTCAudioSource();
  client.addTrack(micSource.createTrack());
  const voiceSource = new nonstandard.RTCAudioSource();
  server.addTrack(voiceSource.createTrack());
  server.ontrack = (e) => {
    const sink = new nonstandard.RTCAudioSink(e.track);
    sink.ondata = (d: AudioData) => voiceSource.onData({ ...d, samples: d.samples });
  };
  const onsets: number[] = [];
  let sentAt = 0;
  let armed = false;
  client.ontrack = (e) => {
    const sink = new nonstandard.RTCAudioSink(e.track);
    sink.ondata = (d: AudioData) => {
      let peak = 0;
      for (const s of d.samples) peak = Math.max(peak, Math.abs(s));
      if (armed && peak > 4000) {
        armed = false;
        onsets.push(performance.now() - sentAt);
      }
    };
  };
  client.addTransceiver("audio", { direction: "recvonly" });
  await client.setLocalDescription(await client.createOffer());
  await server.setRemoteDescription(client.localDescription!);
  await server.setLocalDescription(await server.createAnswer());
  await client.setRemoteDescription(server.localDescription!);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let frame = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const samples = new Int16Array(480);
      const inBurst = frame % 100 >= 50 && frame % 100 < 60; // 100 ms of tone every second
      if (inBurst) for (let i = 0; i < 480; i++) samples[i] = Math.round(12_000 * Math.sin((2 * Math.PI * 1000 * (frame * 480 + i)) / 48_000));
      if (frame % 100 === 50) {
        sentAt = performance.now();
        armed = true;
      }
      micSource.onData({ samples, sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
      if (++frame >= seconds * 100) {
        clearInterval(timer);
        done();
      }
    }, 10);
  });
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - t0) / 1000;
  client.close();
  server.close();
  return { audioRttP50Ms: Math.round(pct(onsets, 50)), audioRttP95Ms: Math.round(pct(onsets, 95)), bursts: onsets.length, cpuMsPerSecondBothEnds: Math.round((cpu.user + cpu.system) / 1000 / wallS) };
}

async function main() {
  const chromiumFigures = await withChromium([wrtcAnswerer, weriftAnswerer]);
  const echo = await wrtcAudioEcho();
  console.log(JSON.stringify({ chromium: chromiumFigures, wrtcAudioEcho: echo }, null, 2));
  console.log("werift: no Opus codec of its own (RTP only); audio round trip needs an extra encoder/decoder package, not measured.");
  process.exit(0);
}

void main();
