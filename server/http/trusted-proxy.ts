import "server-only";
import { BlockList, isIP } from "node:net";

// Which reverse proxies in front of the app are believed when they say, in X-Forwarded-For, whom
// they forwarded for (TRUSTED_PROXY). Unset, the header is anyone's to write and is ignored.

export type TrustedProxy =
  /** The nearest `hops` proxies are trusted, whatever their addresses (the app is reachable only through them). */
  | { hops: number }
  /** Proxies at these addresses are trusted: a hop is believed only when it came from one of them. */
  | { ranges: BlockList; source: string };

/** Parses TRUSTED_PROXY: a hop count ("1") or addresses and CIDR ranges ("10.0.0.0/8, fd00::/8, 127.0.0.1"). */
export function parseTrustedProxy(value: string): TrustedProxy {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 16) throw new Error("a hop count must be 1-16 (leave the variable unset when no proxy fronts the app)");
    return { hops };
  }
  const ranges = new BlockList();
  for (const entry of text.split(",").map((s) => s.trim())) {
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (!family || extra !== undefined || !/^\d*$/.test(prefix ?? "") || bits > (family === 6 ? 128 : 32)) {
      throw new Error(`"${entry.slice(0, 60)}" is not an IP address or CIDR range; use a hop count or e.g. 10.0.0.0/8,::1`);
    }
    ranges.addSubnet(address, bits, family === 6 ? "ipv6" : "ipv4");
  }
  return { ranges, source: text };
}

/** Whether `address` is one of the trusted proxies' addresses (IPv4-mapped IPv6 matches its IPv4 form). */
export function isTrustedAddress(ranges: BlockList, address: string): boolean {
  const family = isIP(address);
  if (!family) return false;
  return ranges.check(address, family === 6 ? "ipv6" : "ipv4");
}
