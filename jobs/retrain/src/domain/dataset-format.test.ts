import { describe, expect, it } from 'vitest';
import { datasetFile, datasetMeta, float32LE, float64LE, readFloat32LE, readFloat64LE, uint32LE } from './dataset-format.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('dataset byte layout (streamrec-train-v1)', () => {
  it('writes float32 little-endian, NaN included', () => {
    expect(hex(float32LE([1, -2, 0.5]))).toBe('0000803f000000c00000003f');
    expect(hex(float32LE([Number.NaN]))).toBe('0000c07f');
  });

  it('writes uint32 little-endian and refuses what is not a uint32', () => {
    expect(hex(uint32LE([1, 256, 0xffffffff]))).toBe('0100000000010000ffffffff');
    expect(() => uint32LE([-1])).toThrow(/not a uint32/);
    expect(() => uint32LE([1.5])).toThrow(/not a uint32/);
  });

  it('reads back what it writes, and float64 for the trainer scores', () => {
    expect([...readFloat32LE(float32LE([0.25, -3, 7]))]).toEqual([0.25, -3, 7]);
    expect([...readFloat64LE(float64LE([0.1, -1e-300]))]).toEqual([0.1, -1e-300]);
    expect(hex(float64LE([1]))).toBe('000000000000f03f');
    expect(() => readFloat32LE(new Uint8Array(3))).toThrow(/whole number/);
  });

  it('names the files and writes meta.json as the trainer reads it', () => {
    expect([datasetFile.features('train'), datasetFile.labels('valid'), datasetFile.groups('holdout')]).toEqual(['train.features.f32', 'valid.labels.f32', 'holdout.groups.u32']);
    expect(datasetMeta(['item_ctr'], { train: { rows: 3, groups: 1 }, valid: { rows: 2, groups: 1 }, holdout: { rows: 2, groups: 2 } })).toEqual({
      format: 'streamrec-train-v1',
      feature_names: ['item_ctr'],
      splits: { train: { rows: 3, groups: 1 }, valid: { rows: 2, groups: 1 }, holdout: { rows: 2, groups: 2 } },
    });
  });
});
