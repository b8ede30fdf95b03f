import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetWriter, readSplit } from './dataset-files.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'retrain-dataset-'));
  dirs.push(dir);
  return join(dir, 'data');
}

const row = (grade: number, ...features: number[]) => ({ grade, features: Float32Array.from(features) });

describe('dataset writer', () => {
  it('writes the split files byte for byte, newest requests in the holdout', async () => {
    const dir = await tempDir();
    const writer = await DatasetWriter.create(dir, ['item_ctr', 'fused_score']);
    await writer.addRequest(1000, [row(2, 1, 2), row(0, 3, Number.NaN)]);
    await writer.addRequest(2000, [row(1, 5, 6)]);
    await writer.addRequest(3000, [row(5, 7, 8), row(0, 9, 10), row(3, 11, 12)]);
    const summary = await writer.finish({ valid: 0.1, holdout: 0.1 });
    expect(summary.splits).toEqual({
      train: { rows: 2, groups: 1, fromMs: 1000, toMs: 1000 },
      valid: { rows: 1, groups: 1, fromMs: 2000, toMs: 2000 },
      holdout: { rows: 3, groups: 1, fromMs: 3000, toMs: 3000 },
    });
    expect((await readdir(dir)).sort()).toEqual([
      'holdout.features.f32', 'holdout.groups.u32', 'holdout.labels.f32', 'meta.json',
      'train.features.f32', 'train.groups.u32', 'train.labels.f32',
      'valid.features.f32', 'valid.groups.u32', 'valid.labels.f32',
    ]);
    expect((await readFile(join(dir, 'train.features.f32'))).toString('hex')).toBe('0000803f00000040' + '00004040' + '0000c07f');
    expect((await readFile(join(dir, 'train.labels.f32'))).toString('hex')).toBe('0000004000000000');
    expect((await readFile(join(dir, 'holdout.groups.u32'))).toString('hex')).toBe('03000000');
    expect(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'))).toEqual({
      format: 'streamrec-train-v1',
      feature_names: ['item_ctr', 'fused_score'],
      splits: { train: { rows: 2, groups: 1 }, valid: { rows: 1, groups: 1 }, holdout: { rows: 3, groups: 1 } },
    });
    const holdout = await readSplit(dir, 'holdout');
    expect([...holdout.features]).toEqual([7, 8, 9, 10, 11, 12]);
    expect([...holdout.labels]).toEqual([5, 0, 3]);
    expect(holdout.groups).toEqual([3]);
  });

  it('skips a request without kept rows and refuses rows of the wrong width', async () => {
    const writer = await DatasetWriter.create(await tempDir(), ['item_ctr']);
    await writer.addRequest(1, []);
    expect(writer.requests).toBe(0);
    await expect(writer.addRequest(2, [row(1, 1, 2)])).rejects.toThrow(/2 features, the dataset 1/);
    await writer.abort();
  });

  it('refuses to split too few requests', async () => {
    const writer = await DatasetWriter.create(await tempDir(), ['item_ctr']);
    await writer.addRequest(1, [row(1, 1)]);
    await expect(writer.finish({ valid: 0.1, holdout: 0.1 })).rejects.toThrow(/not enough data/);
  });
});
