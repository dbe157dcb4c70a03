import { describe, expect, it } from "vitest";
import { iceServersVariable } from "./ice-servers";

describe("REALTIME_WEBRTC_ICE_SERVERS", () => {
  it("is empty by default and parses a TURN list", () => {
    expect(iceServersVariable.parse(undefined)).toEqual([]);
    expect(iceServersVariable.parse("  ")).toEqual([]);
    expect(iceServersVariable.parse('[{"urls":["stun:stun.example.com:3478","turns:turn.example.com:443?transport=tcp"],"username":"u","credential":"p"}]')).toEqual([
      { urls: ["stun:stun.example.com:3478", "turns:turn.example.com:443?transport=tcp"], username: "u", credential: "p" },
    ]);
  });

  it("refuses what is not JSON or not ICE servers, saying what it wants", () => {
    expect(iceServersVariable.safeParse("turn:x").error?.issues[0]?.message).toContain("must be JSON");
    expect(iceServersVariable.safeParse('[{"urls":"http://x"}]').error?.issues[0]?.message).toContain("not a list of ICE servers");
    expect(iceServersVariable.safeParse('{"urls":"stun:x"}').success).toBe(false);
  });
});
