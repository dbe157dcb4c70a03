import "server-only";
import { isIP } from "node:net";
import { getEnv } from "../env";
import { v6Bytes } from "../services/net/ip-address";
import { stampedPeer } from "./peer-address";
import { isTrustedAddress, type TrustedProxy } from "./trusted-proxy";

// The caller's address, for per-address limits (the public demo). Forwarding headers are anyone's
// to write, so they count only through the proxies TRUSTED_PROXY names; otherwise the address is
// the socket's (server/http/peer-address.ts). Where neither is known, every caller shares one key.

/** The key of callers whose address is unknown (no stamp, no trusted proxy): they share one limit. */
export const UNKNOWN_CLIENT = "unknown";
const MAX_KEY = 64;

/** The caller's address as a rate-limit key, by the configured TRUSTED_PROXY. */
export function clientAddress(req: { headers: Headers }): string {
  return resolveClientAddress(req.headers, getEnv().TRUSTED_PROXY);
}

/**
 * The caller's address from the stamped socket peer and, through trusted proxies only, X-Forwarded-For
 * (each proxy appends whom it received from, so the chain is read from the right). IPv6 is keyed by
 * its /64: one subscriber holds a whole /64 and could otherwise take a fresh limit per address.
 */
export function resolveClientAddress(headers: Headers, trust: TrustedProxy | undefined): string {
  const peer = stampedPeer(headers);
  if (!trust) return addressKey(peer);
  const forwarded = forwardedFor(headers);
  if ("hops" in trust) return addressKey(forwarded[Math.max(0, forwarded.length - trust.hops)] ?? peer);
  const chain = peer ? [...forwarded, peer] : forwarded;
  let at = chain.length - 1;
  while (at > 0 && isTrustedAddress(trust.ranges, chain[at]!)) at--;
  return addressKey(chain[at]);
}

/** X-Forwarded-For entries, leftmost first, each without a port. */
function forwardedFor(headers: Headers): string[] {
  const header = headers.get("x-forwarded-for");
  if (!header) return [];
  return header
    .split(",")
    .map((s) => withoutPort(s.trim()))
    .filter(Boolean);
}

function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry);
  return v4WithPort ? v4WithPort[1]! : entry;
}

function addressKey(address: string | undefined): string {
  if (!address) return UNKNOWN_CLIENT;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) === 6) {
    const bytes = v6Bytes(address.split("%")[0]!);
    if (bytes) return `${bytes.slice(0, 8).reduce((s, b, i) => s + b.toString(16).padStart(2, "0") + (i % 2 && i < 7 ? ":" : ""), "")}::/64`;
  }
  // Whatever a trusted proxy wrote ("unknown", a name): a key of its own, bounded in size.
  return address.slice(0, MAX_KEY);
}
