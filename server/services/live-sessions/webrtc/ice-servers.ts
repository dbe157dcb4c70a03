import "server-only";
import { z } from "zod";

// REALTIME_WEBRTC_ICE_SERVERS: the STUN/TURN servers of the server's peer connections, as the JSON of
// RTCPeerConnection's `iceServers`. Empty (the default): host candidates only — enough when client
// and server reach each other directly (loopback, one network); behind NAT give a TURN server.

const url = z.string().regex(/^(stun|stuns|turn|turns):[^\s]+$/, "a stun:, stuns:, turn: or turns: URL");
const iceServer = z
  .object({ urls: z.union([url, z.array(url).min(1)]), username: z.string().optional(), credential: z.string().optional() })
  .strict();

/** The env variable's schema: "" or unset is no servers. */
export const iceServersVariable = z
  .string()
  .default("")
  .transform((raw, ctx) => {
    if (!raw.trim()) return [];
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: "custom", message: 'must be JSON: [{"urls":"turn:host:3478","username":"…","credential":"…"}]' });
      return z.NEVER;
    }
    const parsed = z.array(iceServer).max(8).safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: `not a list of ICE servers: ${parsed.error.issues[0]?.message ?? "invalid"}` });
      return z.NEVER;
    }
    return parsed.data;
  });
