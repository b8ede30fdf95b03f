import type { SplitName } from './split.js';

/**
 * The dataset directory the Python trainer reads (jobs/retrain/python/README.md, `streamrec-train-v1`):
 * meta.json plus, per split, raw little-endian arrays — features float32 rows × columns (row-major, NaN =
 * missing), labels float32 (integer grades), group sizes uint32 (one group = one request, consecutive rows).
 */
export const DATASET_FORMAT = 'streamrec-train-v1';

export const datasetFile = {
  meta: 'meta.json',
  features: (split: SplitName): string => `${split}.features.f32`,
  labels: (split: SplitName): string => `${split}.labels.f32`,
  groups: (split: SplitName): string => `${split}.groups.u32`,
} as const;

export interface SplitSize {
  readonly rows: number;
  readonly groups: number;
}

export interface DatasetMeta {
  readonly format: typeof DATASET_FORMAT;
  readonly feature_names: readonly string[];
  readonly splits: Readonly<Record<SplitName, SplitSize>>;
}

export function datasetMeta(featureNames: readonly string[], splits: Readonly<Record<SplitName, SplitSize>>): DatasetMeta {
  return { format: DATASET_FORMAT, feature_names: [...featureNames], splits };
}

/** float32 little-endian, whatever the machine's byte order. */
export function float32LE(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < values.length; index += 1) view.setFloat32(index * 4, values[index] ?? Number.NaN, true);
  return bytes;
}

/** uint32 little-endian; values must be integers in 0..2^32−1. */
export function uint32LE(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] ?? -1;
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not a uint32: ${value}`);
    view.setUint32(index * 4, value, true);
  }
  return bytes;
}

/** Reads float32 little-endian (a whole file of a split's features, or the trainer's scores in f64 below). */
export function readFloat32LE(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new RangeError(`${bytes.byteLength} bytes is not a whole number of float32`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let index = 0; index < out.length; index += 1) out[index] = view.getFloat32(index * 4, true);
  return out;
}

export function readFloat64LE(bytes: Uint8Array): Float64Array {
  if (bytes.byteLength % 8 !== 0) throw new RangeError(`${bytes.byteLength} bytes is not a whole number of float64`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength / 8);
  for (let index = 0; index < out.length; index += 1) out[index] = view.getFloat64(index * 8, true);
  return out;
}

export function float64LE(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < values.length; index += 1) view.setFloat64(index * 8, values[index] ?? Number.NaN, true);
  return bytes;
}
