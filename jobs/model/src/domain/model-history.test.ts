import { describe, expect, it } from 'vitest';
import type { ModelPublication } from '@streamrec/schemas';
import { chooseRollbackTarget, historyKey, versionsOf, type HistoryRecord } from './model-history.js';

const publication = (name: string, version: string, publishedAt: number): ModelPublication => ({
  name,
  version,
  published_at: publishedAt,
  format: 'onnx',
  onnx: Buffer.from(version),
  sha256: '0'.repeat(64),
  feature_names: ['item_ctr'],
  metrics: {},
  lineage: {},
});
const record = (offset: number, p: ModelPublication, key = historyKey(p.name, p.version)): HistoryRecord => ({ key, offset: String(offset), publication: p });

describe('model history', () => {
  it('keys each version separately so compaction keeps them all', () => {
    expect(historyKey('ranker', 'ranker-20261205T010000Z-ab12cd34')).toBe('ranker:ranker-20261205T010000Z-ab12cd34');
    expect(historyKey('ranker', 'v1')).not.toBe(historyKey('ranker', 'v2'));
  });

  it('lists the versions of one name newest first, one entry per version, ignoring mismatched keys', () => {
    const records = [
      record(0, publication('ranker', 'v1', 100)),
      record(1, publication('other', 'v9', 500)),
      record(2, publication('ranker', 'v2', 200)),
      record(3, publication('ranker', 'v1', 100)),
      record(4, publication('ranker', 'v3', 300), 'ranker:not-v3'),
      { key: 'ranker:v4', offset: '5' },
    ];
    expect(versionsOf(records, 'ranker').map((entry) => [entry.publication.version, entry.offset])).toEqual([
      ['v2', '2'],
      ['v1', '3'],
    ]);
  });

  const versions = versionsOf([record(0, publication('ranker', 'v1', 100)), record(1, publication('ranker', 'v2', 200)), record(2, publication('ranker', 'v3', 300))], 'ranker');

  it('goes back to the version published before the serving one, and further on a second rollback', () => {
    const first = chooseRollbackTarget(versions, 'ranker', { version: 'v3', published_at: 300 }, undefined);
    expect(first.ok && first.target.publication.version).toBe('v2');
    const second = chooseRollbackTarget(versions, 'ranker', { version: 'v2', published_at: 200 }, undefined);
    expect(second.ok && second.target.publication.version).toBe('v1');
  });

  it('rolls forward or back to an explicit version', () => {
    const choice = chooseRollbackTarget(versions, 'ranker', { version: 'v1', published_at: 100 }, 'v3');
    expect(choice.ok && choice.target.publication.version).toBe('v3');
  });

  it.each([
    ['an unknown --to', { version: 'v3', published_at: 300 }, 'v7', /no version v7 of ranker \(it has: v3, v2, v1\)/],
    ['--to the serving version', { version: 'v2', published_at: 200 }, 'v2', /already serving/],
    ['no earlier version', { version: 'v1', published_at: 100 }, undefined, /no version of ranker was published before v1/],
    ['nothing serving and no --to', undefined, undefined, /choose one with --to/],
  ] as const)('refuses %s', (_case, current, to, message) => {
    const choice = chooseRollbackTarget(versions, 'ranker', current, to);
    expect(choice.ok).toBe(false);
    expect(choice.ok ? '' : choice.message).toMatch(message);
  });

  it('refuses a rollback when the history is empty', () => {
    expect(chooseRollbackTarget([], 'ranker', { version: 'v1', published_at: 1 }, undefined)).toEqual({ ok: false, message: 'the history holds no version of ranker' });
  });
});
