import { describe, expect, it } from "vitest";
import { MuxWriter, type MuxFace, type MuxMouthParams } from "../../../../core/mux";
import { writeSampleTurn } from "../../../../core/mux/sample-stream";
import { AvatarPlayer } from "./avatar-player";
import type { PlayerAudioContext, PlayerAudioSource } from "./audio-types";
import type { DecodedVideoFrame, FrameSink } from "./frame-sink";

/** Web Audio cannot run in Node: a clock we advance by hand, with the AudioContext shape the player uses. */
class FakeAudioContext implements PlayerAudioContext {
  currentTime = 10;
  outputLatency = 0.02;
  state = "running";
  destination = {};
  started: { when: number; samples: number }[] = [];
  async resume(): Promise<void> {}
  createBuffer(_c: number, length: number) {
    return { length, copyToChannel() {} };
  }
  createBufferSource(): PlayerAudioSource {
    const started = this.started;
    const source: PlayerAudioSource = {
      buffer: null,
      onended: null,
      connect: () => undefined,
      start: (when = 0) => void started.push({ when, samples: (source.buffer as unknown as { length: number }).length }),
      stop: () => undefined,
    };
    return source;
  }
}

/** Frame clock driven by the test: each tick advances audio time by one 60 Hz display frame. */
class ManualFrames {
  private cb: ((now: number) => void) | null = null;
  request = (cb: (now: number) => void) => ((this.cb = cb), 1);
  cancel = () => void (this.cb = null);
  tick(now: number) {
    const cb = this.cb;
    this.cb = null;
    cb?.(now);
  }
  get pending() {
    return this.cb !== null;
  }
}

class RecordingSink implements FrameSink {
  readonly tier = "webgpu";
  motion: { params: MuxMouthParams; t: number; face?: MuxFace }[] = [];
  videos: DecodedVideoFrame[] = [];
  states: string[] = [];
  drawMotion(params: MuxMouthParams, t: number, face?: MuxFace) {
    this.motion.push(face ? { params, t, face } : { params, t });
  }
  drawVideo(frame: DecodedVideoFrame) {
    this.videos.push(frame);
  }
  setState(s: string) {
    this.states.push(s);
  }
}

async function playThrough(opts: { video?: boolean; tickEvery?: number; seconds?: number; emotion?: number } = {}) {
  const ctx = new FakeAudioContext();
  const frames = new ManualFrames();
  const sink = new RecordingSink();
  const player = new AvatarPlayer({
    sink, audioContext: ctx, scheduler: frames, playoutDelayMs: 100,
    decodeVideo: async (rec) => ({ width: rec.width, height: rec.height }) as unknown as ImageData,
  });
  const { parts } = writeSampleTurn({ seconds: opts.seconds ?? 1, video: opts.video, emotion: opts.emotion });
  const result = player.play((async function* () { yield* parts; })());
  await new Promise((r) => setTimeout(r, 0)); // let the reader drain the stream
  const step = opts.tickEvery ?? 1 / 60;
  for (let i = 0; i < 10_000 && frames.pending; i++) {
    ctx.currentTime += step;
    frames.tick(ctx.currentTime * 1000);
    await Promise.resolve();
  }
  return { ctx, sink, player, result: await result };
}

describe("AvatarPlayer", () => {
  it("schedules audio back to back on the AudioContext clock", async () => {
    const { ctx } = await playThrough();
    expect(ctx.started[0]!.when).toBeCloseTo(10.1, 6);
    let expectedWhen = 10.1;
    for (const s of ctx.started) {
      expect(s.when).toBeCloseTo(expectedWhen, 9);
      expectedWhen += s.samples / 16_000;
    }
    expect(ctx.started.reduce((n, s) => n + s.samples, 0)).toBe(16_000);
  });

  it("draws every motion frame when the audio clock reaches it, within one frame", async () => {
    const { sink, result } = await playThrough();
    expect(result.reason).toBe("ended");
    // 25 frames of speech, then the resting mouth at the end.
    expect(result.stats.framesDrawn).toBe(25);
    expect(result.stats.droppedFrames).toBe(0);
    expect(result.stats.lateFrames).toBe(0);
    expect(result.stats.maxAvOffsetMs).toBeLessThan(1000 / 60 + 1);
    expect(sink.motion.slice(0, 25).map((m) => Math.round(m.t * 25))).toEqual([...Array(25).keys()]);
    expect(sink.motion.at(-1)!.params.jawOpen).toBe(0);
    expect(result.stats.tier).toBe("webgpu");
    expect(result.stats.text).toBe("Hello there. Bye.");
    expect(result.stats.renderedSeconds).toBe(1);
    expect(sink.states).toEqual(["speaking", "idle"]);
  });

  it("hands each motion frame's face (emotion, gestures) to the sink with its mouth", async () => {
    const { sink } = await playThrough({ emotion: 2 });
    const drawn = sink.motion.slice(0, 25);
    expect(drawn.every((m) => m.face?.emotion === 2)).toBe(true);
    expect(drawn.map((m) => Math.round(m.face!.brow * 4))).toEqual([...Array(25).keys()].map((f) => f % 5));
    // Streams without the face (and the resting mouth at the end) draw none: the renderer shows neutral.
    expect((await playThrough()).sink.motion.every((m) => m.face === undefined)).toBe(true);
  });

  it("drops frames a slow page cannot show, always drawing the freshest due frame", async () => {
    const { result } = await playThrough({ tickEvery: 0.1 }); // a 10 fps page for 25 fps motion
    expect(result.stats.framesDrawn).toBeLessThan(12);
    expect(result.stats.droppedFrames).toBeGreaterThan(10);
    expect(result.stats.framesDrawn + result.stats.droppedFrames).toBe(25);
    expect(result.stats.lateFrames).toBe(0);
    expect(result.stats.maxAvOffsetMs).toBeLessThan(40);
  });

  it("counts frames that arrive after the audio passed them as late", async () => {
    const ctx = new FakeAudioContext();
    const frames = new ManualFrames();
    const player = new AvatarPlayer({ sink: new RecordingSink(), audioContext: ctx, scheduler: frames, playoutDelayMs: 0 });
    const w = new MuxWriter({ sampleRate: 16_000, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "ava_t", manifestId: null, manifestVersion: 1 });
    const mouth = { jawOpen: 0.5, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };
    const result = player.play((async function* () {
      yield w.start();
      yield w.audio(new Int16Array(16_000));
      yield new Uint8Array(0);
      for (let f = 0; f < 25; f++) {
        // Frames from 6 on stall in the network: at 0.5 s of audio, frame 5 (0.2 s) is the newest there is.
        if (f === 6) await new Promise((r) => setTimeout(r, 5));
        yield w.motion(f, mouth);
      }
      yield w.end();
    })());
    await new Promise((r) => setTimeout(r, 0));
    ctx.currentTime += 0.52;
    for (let i = 0; i < 200 && frames.pending; i++) {
      ctx.currentTime += 1 / 60;
      frames.tick(ctx.currentTime * 1000);
      await new Promise((r) => setTimeout(r, 0));
    }
    const { stats } = await result;
    expect(stats.lateFrames).toBeGreaterThan(0);
    expect(stats.maxAvOffsetMs).toBeGreaterThan(200);
  });

  it("draws decoded video frames for the server tier", async () => {
    const { sink, result } = await playThrough({ video: true });
    expect(sink.videos).toHaveLength(25);
    expect(sink.videos.map((v) => v.frame)).toEqual([...Array(25).keys()]);
    expect(result.stats.framesDrawn).toBe(25);
  });

  it("pushes the timeline back when audio arrives late, keeping pictures in sync", async () => {
    const ctx = new FakeAudioContext();
    const frames = new ManualFrames();
    const sink = new RecordingSink();
    const player = new AvatarPlayer({ sink, audioContext: ctx, scheduler: frames, playoutDelayMs: 50 });
    const { parts } = writeSampleTurn({ seconds: 0.6, chunk: 3_200 });
    const result = player.play((async function* () {
      for (const [i, p] of parts.entries()) {
        if (i === 6) ctx.currentTime += 0.5; // the network stalls for 500 ms mid-turn
        yield p;
      }
    })());
    await new Promise((r) => setTimeout(r, 0));
    while (frames.pending) {
      ctx.currentTime += 1 / 60;
      frames.tick(ctx.currentTime * 1000);
      await Promise.resolve();
    }
    const { stats } = await result;
    expect(stats.underruns).toBe(1);
    for (let i = 1; i < ctx.started.length; i++) expect(ctx.started[i]!.when).toBeGreaterThan(ctx.started[i - 1]!.when);
    expect(stats.maxAvOffsetMs).toBeLessThan(40);
  });

  it("buffers as long as the server's X-Playout-Delay-Ms says, unless told otherwise", async () => {
    // The server paces a turn this far ahead of real time (docs/realtime-turns.md) and says so.
    async function firstSampleAt(headers: Record<string, string>, playoutDelayMs?: number) {
      const ctx = new FakeAudioContext();
      const player = new AvatarPlayer({ sink: new RecordingSink(), audioContext: ctx, scheduler: new ManualFrames(), playoutDelayMs });
      const { parts } = writeSampleTurn({ seconds: 0.2 });
      const pending = player.play(new Response(new Blob(parts as Uint8Array<ArrayBuffer>[]), { headers }));
      await new Promise((r) => setTimeout(r, 10));
      player.stop();
      expect((await pending).reason).toBe("stopped");
      return ctx.started[0]!.when - 10; // the fake clock stands at 10 s
    }
    expect(await firstSampleAt({ "X-Playout-Delay-Ms": "520" })).toBeCloseTo(0.52, 6);
    expect(await firstSampleAt({ "x-playout-delay-ms": "300" })).toBeCloseTo(0.3, 6);
    // The caller's own choice wins; a header mangled on the way is ignored.
    expect(await firstSampleAt({ "X-Playout-Delay-Ms": "520" }, 80)).toBeCloseTo(0.08, 6);
    expect(await firstSampleAt({ "X-Playout-Delay-Ms": "soon" })).toBeCloseTo(0.15, 6);
    expect(await firstSampleAt({})).toBeCloseTo(0.15, 6);
  });

  it("stops on demand and reports a corrupt stream as an error", async () => {
    const ctx = new FakeAudioContext();
    const player = new AvatarPlayer({ sink: new RecordingSink(), audioContext: ctx, scheduler: new ManualFrames() });
    const errors: unknown[] = [];
    player.on("error", (e) => errors.push(e));
    const bad = await player.play((async function* () { yield new TextEncoder().encode("<html>502</html>"); })());
    expect(bad.reason).toBe("error");
    expect(errors[0]).toMatchObject({ code: "bad_magic" });

    const { parts } = writeSampleTurn({ seconds: 1 });
    const pending = player.play((async function* () { yield* parts; })());
    await new Promise((r) => setTimeout(r, 0));
    player.stop();
    expect((await pending).reason).toBe("stopped");
  });
});
