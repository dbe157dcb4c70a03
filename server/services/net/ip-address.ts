import "server-only";
import { isIPv4, isIPv6 } from "node:net";

// Which addresses remote ingest may connect to. Only globally routable unicast passes; everything a
// request could use to reach the server's own network (or someone else's through it) is refused.

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

function v4Bytes(ip: string): number[] {
  return ip.split(".").map(Number);
}

/** 16 bytes of an IPv6 address (zone ids refused by the caller), including the dotted-quad tail form. */
export function v6Bytes(ip: string): number[] | null {
  let text = ip;
  let tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (!isIPv4(dotted[1]!)) return null;
    tail = v4Bytes(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((h) => Number.parseInt(h, 16)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

type V4Range = [number, number, number, number, number, string];
const V4_BLOCKED: V4Range[] = [
  [0, 0, 0, 0, 8, "unspecified/'this network' (0.0.0.0/8)"],
  [10, 0, 0, 0, 8, "private (10.0.0.0/8)"],
  [100, 64, 0, 0, 10, "carrier-grade NAT (100.64.0.0/10)"],
  [127, 0, 0, 0, 8, "loopback (127.0.0.0/8)"],
  [169, 254, 0, 0, 16, "link-local (169.254.0.0/16)"],
  [172, 16, 0, 0, 12, "private (172.16.0.0/12)"],
  [192, 0, 0, 0, 24, "IETF protocol assignments (192.0.0.0/24)"],
  [192, 0, 2, 0, 24, "documentation (192.0.2.0/24)"],
  [192, 88, 99, 0, 24, "6to4 relay anycast (192.88.99.0/24)"],
  [192, 168, 0, 0, 16, "private (192.168.0.0/16)"],
  [198, 18, 0, 0, 15, "benchmarking (198.18.0.0/15)"],
  [198, 51, 100, 0, 24, "documentation (198.51.100.0/24)"],
  [203, 0, 113, 0, 24, "documentation (203.0.113.0/24)"],
  [224, 0, 0, 0, 4, "multicast (224.0.0.0/4)"],
  [240, 0, 0, 0, 4, "reserved/broadcast (240.0.0.0/4)"],
];

function inV4(b: number[], r: V4Range): boolean {
  const addr = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const base = ((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0;
  const mask = r[4] === 0 ? 0 : (0xffffffff << (32 - r[4])) >>> 0;
  return (addr & mask) >>> 0 === (base & mask) >>> 0;
}

function checkV4(b: number[]): AddressVerdict {
  const hit = V4_BLOCKED.find((r) => inV4(b, r));
  return hit ? { ok: false, reason: hit[5] } : { ok: true };
}

const startsWith = (b: number[], prefix: number[], bits: number) => {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const bit = 7 - (i & 7);
    if (((b[byte]! >> bit) & 1) !== ((prefix[byte] ?? 0) >> bit & 1)) return false;
  }
  return true;
};

function checkV6(b: number[]): AddressVerdict {
  const embedded = (label: string, v4: number[]): AddressVerdict => {
    const inner = checkV4(v4);
    return inner.ok ? { ok: false, reason: `${label} of ${v4.join(".")} (connect to the IPv4 address directly)` } : { ok: false, reason: `${label} of ${inner.reason}` };
  };
  if (b.every((x) => x === 0)) return { ok: false, reason: "unspecified (::)" };
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return { ok: false, reason: "loopback (::1)" };
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return embedded("IPv4-mapped IPv6", b.slice(12));
  if (b.slice(0, 12).every((x) => x === 0)) return embedded("IPv4-compatible IPv6", b.slice(12));
  if (startsWith(b, [0, 0x64, 0xff, 0x9b], 32) && b.slice(4, 12).every((x) => x === 0)) return embedded("NAT64 (64:ff9b::/96)", b.slice(12));
  if (startsWith(b, [0, 0x64, 0xff, 0x9b, 0, 1], 48)) return { ok: false, reason: "local-use NAT64 (64:ff9b:1::/48)" };
  if (startsWith(b, [0x20, 0x02], 16)) return embedded("6to4 (2002::/16)", b.slice(2, 6));
  if (startsWith(b, [0x20, 0x01, 0, 0], 32)) return { ok: false, reason: "Teredo (2001::/32)" };
  if (startsWith(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return { ok: false, reason: "documentation (2001:db8::/32)" };
  if (startsWith(b, [0x20, 0x01, 0], 23)) return { ok: false, reason: "IETF protocol assignments (2001::/23)" };
  if (startsWith(b, [0xfc], 7)) return { ok: false, reason: "unique-local (fc00::/7)" };
  if (startsWith(b, [0xfe, 0x80], 10)) return { ok: false, reason: "link-local (fe80::/10)" };
  if (startsWith(b, [0xfe, 0xc0], 10)) return { ok: false, reason: "site-local (fec0::/10)" };
  if (startsWith(b, [0xff], 8)) return { ok: false, reason: "multicast (ff00::/8)" };
  // Everything outside global unicast 2000::/3 (discard prefix 100::/64, unassigned space ...) is refused.
  if (!startsWith(b, [0x20], 3)) return { ok: false, reason: "not global unicast (outside 2000::/3)" };
  return { ok: true };
}

/** Whether a textual IP address (as resolved or as connected) is a public, globally routable unicast address. */
export function checkPublicAddress(ip: string): AddressVerdict {
  if (isIPv4(ip)) return checkV4(v4Bytes(ip));
  if (isIPv6(ip)) {
    if (ip.includes("%")) return { ok: false, reason: "scoped IPv6 address (zone id)" };
    const bytes = v6Bytes(ip);
    return bytes ? checkV6(bytes) : { ok: false, reason: "unparseable IPv6 address" };
  }
  return { ok: false, reason: "not an IP address" };
}
