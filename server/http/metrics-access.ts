import "server-only";
import { timingSafeEqual } from "node:crypto";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { stampedPeer } from "./peer-address";

// /metrics shows platform-wide figures, so not to customers: with METRICS_TOKEN set it needs
// `Authorization: Bearer <token>`; without one it answers only its own machine (the loopback peer
// address the server process stamped, which a client cannot forge with X-Forwarded-For), so a fresh
// install exposes nothing.

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** Why a request may not read /metrics; null when it may. */
export function metricsRefusal(headers: Headers): AppError | null {
  const token = getEnv().METRICS_TOKEN;
  if (token) {
    const given = Buffer.from((headers.get("authorization") ?? "").replace(/^Bearer\s+/i, ""));
    const expected = Buffer.from(token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
    return new AppError("unauthorized", "Send `Authorization: Bearer <METRICS_TOKEN>` to read /metrics.");
  }
  const peer = stampedPeer(headers);
  if (peer && LOOPBACK.test(peer)) return null;
  return new AppError("forbidden", "/metrics answers only this machine; set METRICS_TOKEN on the server to read it from elsewhere with `Authorization: Bearer <token>`.");
}

