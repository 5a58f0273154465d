/** Medians, ratios and verdicts: the arithmetic every benchmark section shares. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `ours / baseline`, two decimals, e.g. "1.35×". */
export function ratio(ours: number, baseline: number): number {
  return ours / baseline;
}

export const formatRatio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "-");

/** A ratio against its ceiling: "met" or "MISSED", never a silent pass. */
export function verdict(value: number, ceiling: number): "met" | "MISSED" {
  return value <= ceiling ? "met" : "MISSED";
}

export const ms = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

export const mb = (kilobytes: number): string => `${Math.round(kilobytes / 1024)} MB`;

/** The spread of repeated runs, so a reader can judge the noise: "min–max". */
export const spread = (values: readonly number[], format: (value: number) => string): string =>
  values.length < 2 ? "-" : `${format(Math.min(...values))}–${format(Math.max(...values))}`;

/**
 * Runs `contenders` `rounds` times, alternating, the order reversed every other round (ABBA),
 * so a machine that drifts (thermal, page cache, another process) hits every contender alike.
 */
export async function alternate<K extends string, R>(
  contenders: readonly K[],
  rounds: number,
  run: (contender: K, round: number) => Promise<R>,
): Promise<Record<K, R[]>> {
  const results = Object.fromEntries(contenders.map((c) => [c, [] as R[]])) as Record<K, R[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) results[contender].push(await run(contender, round));
  }
  return results;
}
