// Seed 002's `GET /health`: the same check as /api/health (one implementation).
export { GET } from "../api/health/route";

export const dynamic = "force-dynamic";
