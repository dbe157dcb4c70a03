import { describe, expect, it } from "vitest";
import { MuxWriter, type MuxRecord } from "../../../../core/mux";
import { SessionDemux, type SessionTurn } from "./session-demux";

const mouth = { jawOpen: 0.5, lipWidth: 0.2, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

function writer() {
  return new MuxWriter({ sampleRate: 16_000, fps: 25, width: 0, height: 0, videoCodec: "none", avatarId: "ava_t", manifestId: null, manifestVersion: 1 });
}

async function collect(turn: SessionTurn): Promise<MuxRecord[]> {
  const out: MuxRecord[] = [];
  for await (const r of turn.events) out.push(r);
  return out;
}

describe("SessionDemux", () => {
  it("cuts one session stream into one turn per response, each on its own clock from 0", async () => {
    const turns: SessionTurn[] = [];
    const demux = new SessionDemux((t) => turns.push(t));
    const w = writer();
    demux.push(w.start());
    expect(turns).toHaveLength(0); // the header alone is no turn

    demux.begin("resp_1");
    demux.push(w.state("speaking"));
    demux.push(w.text("Hello."));
    demux.push(w.audio(new Int16Array(8_000)));
    for (let f = 0; f < 13; f++) demux.push(w.motion(f, mouth));
    demux.finish();

    demux.begin("resp_2");
    // The second answer's audio continues the stream clock at 8000 samples; frame 13 is at 8320.
    demux.push(w.text("Again."));
    const a2 = w.audio(new Int16Array(4_000));
    demux.push(a2.subarray(0, 7)); // records may span binary frames
    demux.push(a2.subarray(7));
    demux.push(w.motion(13, mouth));
    demux.push(w.end());

    expect(turns.map((t) => t.responseId)).toEqual(["resp_1", "resp_2"]);
    const [one, two] = await Promise.all(turns.map(collect));
    expect(one!.map((r) => r.kind)).toEqual(["header", "state", "text_delta", "audio", ...Array(13).fill("motion")]);
    expect(two!.map((r) => r.kind)).toEqual(["header", "text_delta", "audio", "motion", "end"]);
    expect(two![1]).toMatchObject({ kind: "text_delta", pts: 0, text: "Again." });
    expect(two![2]).toMatchObject({ kind: "audio", pts: 0 });
    expect(two![3]).toMatchObject({ kind: "motion", pts: 8320 - 8000, frame: 13 });
    // The session's end record counts the whole stream; the turn's own counts its 4000 samples.
    expect(two![4]).toMatchObject({ kind: "end", totalSamples: 4_000 });
  });

  it("drops pictures of an interrupted answer that arrive after the cut, and opens the next turn on its own", async () => {
    const turns: SessionTurn[] = [];
    const demux = new SessionDemux((t) => turns.push(t));
    const w = writer();
    demux.push(w.start());
    demux.begin("resp_1");
    demux.push(w.audio(new Int16Array(16_000)));
    demux.push(w.motion(0, mouth));
    demux.finish(); // response.interrupted
    demux.push(w.motion(10, mouth)); // in flight when the cut happened: pts 6400 < clock 16000
    expect(turns).toHaveLength(1);
    // Audio with no response.created before it still plays (a new turn opens for it).
    demux.push(w.audio(new Int16Array(1_600)));
    expect(turns).toHaveLength(2);
    expect(turns[1]!.responseId).toBeNull();
    demux.finish();
    const second = await collect(turns[1]!);
    expect(second.map((r) => r.kind)).toEqual(["header", "audio"]);
    expect(second[1]).toMatchObject({ pts: 0 });
  });

  it("reports a corrupt stream as a MuxError", () => {
    const demux = new SessionDemux(() => undefined);
    expect(() => demux.push(new TextEncoder().encode("not a mux"))).toThrow(expect.objectContaining({ code: "bad_magic" }));
  });
});
