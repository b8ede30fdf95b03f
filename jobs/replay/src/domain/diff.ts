import { keyFamily } from './key-map.js';

/**
 * Classification of a comparison of two state versions, key by key and offsets field by field. Pure:
 * the adapter supplies, per unversioned key, whether both sides hold an equal value.
 */
export const KeyStatus = { Equal: 'equal', Rounding: 'rounding', Different: 'different', OnlyInA: 'only-in-a', OnlyInB: 'only-in-b' } as const;
export type KeyStatus = (typeof KeyStatus)[keyof typeof KeyStatus];

export type FamilyCounts = Record<KeyStatus, number>;

export interface KeyComparison {
  readonly key: string;
  readonly status: KeyStatus;
}

/** `match`: for a key in both versions, whether the values are equal, equal within float rounding, or not. */
export function keyStatus(inA: boolean, inB: boolean, match: 'equal' | 'rounding' | 'different'): KeyStatus {
  if (inA && inB) return match === 'equal' ? KeyStatus.Equal : match === 'rounding' ? KeyStatus.Rounding : KeyStatus.Different;
  return inA ? KeyStatus.OnlyInA : KeyStatus.OnlyInB;
}

export function countByFamily(comparisons: readonly KeyComparison[]): Map<string, FamilyCounts> {
  const families = new Map<string, FamilyCounts>();
  for (const { key, status } of comparisons) {
    const family = keyFamily(key);
    const counts = families.get(family) ?? { equal: 0, rounding: 0, different: 0, 'only-in-a': 0, 'only-in-b': 0 };
    counts[status] += 1;
    families.set(family, counts);
  }
  return new Map([...families.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

export const OffsetStatus = { Equal: 'equal', AAhead: 'a-ahead', BAhead: 'b-ahead', OnlyInA: 'only-in-a', OnlyInB: 'only-in-b' } as const;
export type OffsetStatus = (typeof OffsetStatus)[keyof typeof OffsetStatus];

/** Stored offsets of one version: `<partition tag>` → field → offset. */
export type VersionOffsets = ReadonlyMap<string, ReadonlyMap<string, bigint>>;

export interface OffsetFieldSummary {
  readonly field: string;
  readonly counts: Record<OffsetStatus, number>;
}

export function offsetStatus(a: bigint | undefined, b: bigint | undefined): OffsetStatus {
  if (a === undefined) return OffsetStatus.OnlyInB;
  if (b === undefined) return OffsetStatus.OnlyInA;
  return a === b ? OffsetStatus.Equal : a > b ? OffsetStatus.AAhead : OffsetStatus.BAhead;
}

/** Per offsets field (processor stage and topic), how many partitions are equal, ahead or missing. */
export function compareOffsets(a: VersionOffsets, b: VersionOffsets): OffsetFieldSummary[] {
  const fields = new Map<string, Record<OffsetStatus, number>>();
  for (const tag of new Set([...a.keys(), ...b.keys()])) {
    const inA = a.get(tag) ?? new Map<string, bigint>();
    const inB = b.get(tag) ?? new Map<string, bigint>();
    for (const field of new Set([...inA.keys(), ...inB.keys()])) {
      const counts = fields.get(field) ?? { equal: 0, 'a-ahead': 0, 'b-ahead': 0, 'only-in-a': 0, 'only-in-b': 0 };
      counts[offsetStatus(inA.get(field), inB.get(field))] += 1;
      fields.set(field, counts);
    }
  }
  return [...fields.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([field, counts]) => ({ field, counts }));
}

export interface CompareVerdict {
  readonly stateEqual: boolean;
  /** Some values are equal only within float rounding (see ROUNDING_TOLERANCE). */
  readonly rounding: boolean;
  readonly offsetsEqual: boolean;
  /** A has applied records B has not (typically: the live version moved on after B's snapshot). */
  readonly aMovedPast: boolean;
  readonly equal: boolean;
}

/** `exact`: values equal only within rounding count as differences. */
export function compareVerdict(families: ReadonlyMap<string, FamilyCounts>, offsets: readonly OffsetFieldSummary[], strictOffsets: boolean, exact = false): CompareVerdict {
  const rounding = [...families.values()].some((counts) => counts.rounding > 0);
  const stateEqual = [...families.values()].every((counts) => counts.different === 0 && counts['only-in-a'] === 0 && counts['only-in-b'] === 0) && !(exact && rounding);
  const offsetsEqual = offsets.every(({ counts }) => counts['a-ahead'] === 0 && counts['b-ahead'] === 0 && counts['only-in-a'] === 0 && counts['only-in-b'] === 0);
  const aMovedPast = offsets.some(({ counts }) => counts['a-ahead'] > 0 || counts['only-in-a'] > 0);
  return { stateEqual, rounding, offsetsEqual, aMovedPast, equal: stateEqual && (offsetsEqual || !strictOffsets) };
}

/** normalize's state families (`{normalize}:…` keys) and offsets fields (`normalize/<topic>/<partition>`). */
const NORMALIZE_FAMILY = /^normalize:/;
const NORMALIZE_FIELD = /^normalize\//;

export interface UnbuiltNormalize {
  readonly families: Map<string, FamilyCounts>;
  readonly offsets: OffsetFieldSummary[];
  /** normalize's families and offsets fields set aside: one version holds none of them (see below). */
  readonly setAside: { readonly families: number; readonly offsetFields: number; readonly side: 'a' | 'b' } | undefined;
}

/**
 * `replay build` never runs normalize (it writes the shared event topics, replay.md), so a rebuilt version
 * holds none of normalize's state. When one side has none of it while the other has some, normalize's
 * families and offsets are set aside: they are not a difference of the rebuild, and the live side's
 * normalize offsets do not mean it "moved past" the other. When both sides hold normalize state, it is
 * compared like any other.
 */
export function setAsideUnbuiltNormalize(families: ReadonlyMap<string, FamilyCounts>, offsets: readonly OffsetFieldSummary[]): UnbuiltNormalize {
  const normalizeFamilies = [...families].filter(([family]) => NORMALIZE_FAMILY.test(family));
  const normalizeOffsets = offsets.filter(({ field }) => NORMALIZE_FIELD.test(field));
  const onlyOn = (side: 'only-in-a' | 'only-in-b'): boolean =>
    normalizeFamilies.every(([, counts]) => counts[side] === sumOf(counts)) && normalizeOffsets.every(({ counts }) => counts[side] === sumOf(counts));
  const side = normalizeFamilies.length + normalizeOffsets.length === 0 ? undefined : onlyOn('only-in-a') ? 'a' : onlyOn('only-in-b') ? 'b' : undefined;
  if (side === undefined) return { families: new Map(families), offsets: [...offsets], setAside: undefined };
  return {
    families: new Map([...families].filter(([family]) => !NORMALIZE_FAMILY.test(family))),
    offsets: offsets.filter(({ field }) => !NORMALIZE_FIELD.test(field)),
    setAside: { families: normalizeFamilies.length, offsetFields: normalizeOffsets.length, side },
  };
}

function sumOf(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
