// After a dropped socket the widget gets a new session (a client secret opens one connection only),
// waiting longer each time so a server that is down is not hammered by every open page.

export const RECONNECT_ATTEMPTS = 5;

/** Wait before reconnect attempt `n` (0-based): 1 s, 2 s, 4 s, 8 s, 16 s, ±20 % jitter so pages spread out. */
export function reconnectDelayMs(n: number, random: () => number = Math.random): number {
  const base = 1000 * 2 ** Math.min(n, 4);
  return Math.round(base * (0.8 + 0.4 * random()));
}
