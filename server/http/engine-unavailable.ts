import "server-only";
import { AppError } from "../errors";

/**
 * The rendering engine (prepare, turn, video cache, lipsync) lands in the engine issues; until then
 * these operations authenticate, check scope and validate, then answer this documented 502.
 */
export function engineUnavailable(operation: string): never {
  throw new AppError(
    "engine_unavailable",
    `${operation} is not available on this server yet: the realtime rendering engine is not deployed. No credits were reserved; this will keep failing until the engine is installed.`,
    { kind: "upstream_failed", retryable: false },
  );
}
