// Both ends of a WebRTC session send their description with its candidates (no trickle): the
// browser's offer (packages/sdk peer-channel.ts) and the server's answer
// (server/services/live-sessions/webrtc/start.ts) wait here for gathering to finish.

/** Gathering host candidates takes milliseconds; with a slow or unreachable STUN/TURN server the description goes with what it has. */
export const ICE_GATHER_MS = 3_000;

/** What is read of a peer connection: the browser's and libwebrtc's (@roamhq/wrtc, which sets handlers as properties) alike. */
type Gathering = { readonly iceGatheringState: string; onicegatheringstatechange: ((ev: Event) => unknown) | null };

/** Resolves once `pc` has gathered its candidates, or after `timeoutMs`. */
export function iceGathered(pc: Gathering, timeoutMs = ICE_GATHER_MS): Promise<void> {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(done, timeoutMs);
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState !== "complete") return;
      clearTimeout(timer);
      done();
    };
  });
}
