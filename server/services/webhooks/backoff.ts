import "server-only";

/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 6 * 3_600_000;

/** Delay before the attempt after `attempt` (1-based): base, 2×base, 4×base …, at most 6 h. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(baseMs * 2 ** Math.max(0, attempt - 1)));
}
