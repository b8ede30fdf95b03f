/**
 * A Redis string compared across versions. HyperLogLogs (`HYLL` header) cache their cardinality in
 * header bytes 8–15, which a `PFCOUNT` rewrites: two equal HLLs differ there, so those bytes are zeroed.
 */
export function comparableString(value: Uint8Array): Uint8Array {
  const isHll = value.length >= 16 && value[0] === 0x48 && value[1] === 0x59 && value[2] === 0x4c && value[3] === 0x4c;
  if (!isHll) return value;
  const copy = Uint8Array.from(value);
  copy.fill(0, 8, 16);
  return copy;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * Two versions built from the same records can differ in the last bits of a float: an item's decayed
 * sums (popularity, co-occurrence, transitions) add increments in the order their item-activity topic
 * holds them, and that order interleaves several producers (one per user partition and stage), so two
 * independent builds add the same numbers in different orders. Within this relative tolerance
 * (≈ 10⁷ ulps) such values count as equal "within rounding"; anything else is a real difference.
 */
export const ROUNDING_TOLERANCE = 1e-9;

export const ValueMatch = { Equal: 'equal', Rounding: 'rounding', Different: 'different' } as const;
export type ValueMatch = (typeof ValueMatch)[keyof typeof ValueMatch];

export function withinRounding(x: number, y: number, tolerance = ROUNDING_TOLERANCE): boolean {
  if (x === y) return true;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
}

/** Hash fields or zset members with their values: same names, values textually equal or floats within rounding. */
export function matchEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): ValueMatch {
  if (a.size !== b.size) return ValueMatch.Different;
  let match: ValueMatch = ValueMatch.Equal;
  for (const [name, valueA] of a) {
    const valueB = b.get(name);
    if (valueB === undefined) return ValueMatch.Different;
    if (valueA === valueB) continue;
    const [x, y] = [Number(valueA), Number(valueB)];
    if (valueA.trim() === '' || valueB.trim() === '' || !withinRounding(x, y)) return ValueMatch.Different;
    match = ValueMatch.Rounding;
  }
  return match;
}
