import "server-only";

/** The caller's address for per-IP limits: the first X-Forwarded-For hop when a proxy fronts the app, else one shared bucket. */
export function clientAddress(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || "direct";
}
