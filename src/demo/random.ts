/** A small seeded PRNG (mulberry32): the demo organisation is the same on every machine and every run. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** An integer from min to max, both included. */
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  /** A day from `from` to `to` (YYYY-MM-DD, both included), as YYYY-MM-DD. */
  const date = (from: string, to: string) => {
    const start = Date.parse(`${from}T00:00:00Z`);
    const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000);
    return new Date(start + int(0, Math.max(0, days)) * 86_400_000).toISOString().slice(0, 10);
  };
  return { next, int, pick, date, chance: (p: number) => next() < p };
}

export type Random = ReturnType<typeof seededRandom>;
