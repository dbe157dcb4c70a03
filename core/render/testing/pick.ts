/** One of the items, uniformly, by a seeded PRNG (prng in core/mux/sample-stream.ts). */
export const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
