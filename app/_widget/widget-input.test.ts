import { describe, expect, it } from "vitest";
import { checkConfig, readConfig, type WidgetConfig } from "./config";
import { microphoneError } from "./mic-errors";
import { reconnectDelayMs } from "./reconnect";
import { parseSessionAnswer } from "./session-source";

// What the widget accepts from outside before it requests anything: the element's attributes and
// the answer of a customer's session-url. (The browser behaviour is in e2e/widget-*.spec.ts.)

const element = (attrs: Record<string, string>) => ({ getAttribute: (n: string) => attrs[n] ?? null }) as unknown as Element;
const config = (attrs: Record<string, string>): WidgetConfig => readConfig(element(attrs), "https://tic.example");
const code = (attrs: Record<string, string>) => {
  try {
    checkConfig(config(attrs));
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe("the widget's attributes", () => {
  it("default to a 256 px inline conversation on the origin widget.js came from, and clamp the size", () => {
    expect(config({ "avatar-id": "ava_1234" })).toMatchObject({ mode: "conversation", transport: "auto", layout: "inline", corner: "bottom-right", size: 256, theme: "auto", apiBase: "https://tic.example" });
    expect(config({ size: "5000" }).size).toBe(1024);
    expect(config({ size: "12" }).size).toBe(96);
    expect(config({ size: "wide" }).size).toBe(256);
    expect(config({ mode: "karaoke", layout: "sideways" })).toMatchObject({ mode: "conversation", layout: "inline" });
    expect(config({ transport: "webrtc" }).transport).toBe("webrtc");
    expect(config({ transport: "websocket" }).transport).toBe("websocket");
    expect(config({ transport: "carrier-pigeon" }).transport).toBe("auto");
    expect(config({ "api-base": "https://api.example/" }).apiBase).toBe("https://api.example");
  });

  it("refuse what cannot work, each with its code", () => {
    expect(code({ "avatar-id": "ava_1234", "session-url": "/s" })).toBeNull();
    expect(code({ "avatar-id": "bob", "session-url": "/s" })).toBe("invalid_avatar_id");
    expect(code({ "avatar-id": "ava_1234" })).toBe("missing_session_source");
    // A secret key pasted into a page is refused before it is sent anywhere.
    expect(code({ "avatar-id": "ava_1234", "publishable-key": "tic_live_abc" })).toBe("invalid_publishable_key");
    expect(code({ "avatar-id": "ava_1234", mode: "audio", "session-url": "/s" })).toBe("missing_assets_source");
    expect(code({ "avatar-id": "ava_1234", mode: "audio", "assets-url": "/a" })).toBeNull();
  });
});

describe("a session-url's answer", () => {
  const good = { session_id: "ses_1", client_secret: { value: "tcs_x", expires_at: "…" }, url: "wss://tic.example/api/v1/realtime/sessions/ses_1/socket", expires_at: "…" };

  it("is the create answer or its subset; the secret may be the object or its value", () => {
    expect(parseSessionAnswer(good, "session-url")).toEqual({ sessionId: "ses_1", clientSecret: "tcs_x", url: good.url, sdpAnswer: null });
    // Created over WebRTC: the SDP answer comes with it; anything that is not SDP is not taken for one.
    expect(parseSessionAnswer({ ...good, transport: { type: "webrtc", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1" } }, "session-url").sdpAnswer).toMatch(/^v=0/);
    expect(parseSessionAnswer({ ...good, transport: { type: "webrtc", sdp: "<html>" } }, "session-url").sdpAnswer).toBeNull();
    expect(parseSessionAnswer({ ...good, client_secret: "tcs_y" }, "session-url").clientSecret).toBe("tcs_y");
  });

  it("is refused with session_bad_response when it is anything else (an API key instead of a secret included)", () => {
    for (const bad of [null, "<html>", {}, { ...good, url: "https://not-a-socket" }, { ...good, client_secret: "tic_live_key" }, { ...good, session_id: 7 }]) {
      expect(() => parseSessionAnswer(bad, "session-url")).toThrow(expect.objectContaining({ code: "session_bad_response" }));
    }
  });
});

describe("reconnecting", () => {
  it("waits 1, 2, 4, 8, 16 s (±20 %) and no longer", () => {
    expect([0, 1, 2, 3, 4, 9].map((n) => reconnectDelayMs(n, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 16000]);
    expect(reconnectDelayMs(0, () => 0)).toBe(800);
    expect(reconnectDelayMs(0, () => 1)).toBe(1200);
  });
});

describe("a microphone that does not open", () => {
  it("says why in words a visitor can act on", () => {
    const named = (name: string) => Object.assign(new Error("x"), { name });
    expect(microphoneError(named("NotAllowedError")).code).toBe("mic_denied");
    expect(microphoneError(named("NotFoundError")).code).toBe("mic_not_found");
    expect(microphoneError(named("NotReadableError")).code).toBe("mic_busy");
    expect(microphoneError(named("Whatever")).code).toBe("mic_failed");
  });
});
