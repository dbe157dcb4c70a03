/* global TextEncoder, Response */
// Smoke test of the built package as a consumer sees it: import by package name, decode a stream.
import { readAvatarMux, TicAvatarClient, MUX_CONTENT_TYPE } from "realtime-avatar";

// A minimal valid stream (preamble, header, one audio sample, end), spelled out in bytes.
const avatar = new TextEncoder().encode("ava_smoke");
const header = [0x01, 18 + avatar.length, 0, 0, 0, 0x80, 0x3e, 0, 0, 25, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, avatar.length, ...avatar, 0];
const bytes = Uint8Array.from([0x54, 0x41, 0x56, 0x4d, 1, 0, ...header, 0x11, 6, 0, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0x02, 5, 0, 0, 0, 0, 1, 0, 0, 0]);
const kinds = [];
for await (const ev of readAvatarMux(new Response(bytes, { headers: { "content-type": MUX_CONTENT_TYPE } }))) kinds.push(ev.kind);
if (kinds.join() !== "header,audio,end") throw new Error(`unexpected events ${kinds}`);
new TicAvatarClient({ apiKey: "tic_test_smoke", baseUrl: "http://localhost" });
console.log("sdk smoke ok:", kinds.join(" "));
