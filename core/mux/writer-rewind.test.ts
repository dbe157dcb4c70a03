import { describe, expect, it } from "vitest";
import { MuxReader, MuxWriter } from "./index";

const mouth = { jawOpen: 0.5, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };
const init = { sampleRate: 16_000, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "ava_x", manifestId: null, manifestVersion: 0 } as const;

describe("MuxWriter.rewind", () => {
  it("drops records that never left: what follows continues the reader's clock and frame order", () => {
    const w = new MuxWriter(init);
    const reader = new MuxReader(); // strict: it refuses an audio gap or a frame out of order
    reader.push(w.start());
    reader.push(w.audio(new Int16Array(640)));
    reader.push(w.motion(0, mouth));
    const sent = w.mark();
    // Encoded, then dropped (a barge-in): the reader never sees these bytes.
    w.audio(new Int16Array(640));
    w.motion(1, mouth);
    w.text("never heard");
    w.rewind(sent);
    expect(w.position).toBe(640);
    const next = [...reader.push(w.audio(new Int16Array(640))), ...reader.push(w.motion(1, mouth)), ...reader.push(w.end("complete"))];
    expect(next.map((r) => r.kind)).toEqual(["audio", "motion", "end"]);
    expect(next[0]).toMatchObject({ pts: 640 });
  });

  it("without the rewind the reader refuses the next audio (the gap a barge-in used to leave)", () => {
    const w = new MuxWriter(init);
    const reader = new MuxReader();
    reader.push(w.start());
    reader.push(w.audio(new Int16Array(640)));
    w.audio(new Int16Array(640)); // dropped
    expect(() => reader.push(w.audio(new Int16Array(640)))).toThrow(/audio/);
  });

  it("never moves the clock forward", () => {
    const w = new MuxWriter(init);
    w.start();
    const early = w.mark();
    w.audio(new Int16Array(10));
    const late = w.mark();
    w.rewind(early);
    expect(() => w.rewind(late)).toThrow(/forward/);
  });
});
