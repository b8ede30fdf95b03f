import { describe, expect, it } from 'vitest';
import type { ModelPublication } from '@streamrec/schemas';
import { checkFeatureNames, checkPublication, ModelRejectionReason, withModel } from './model-publication.js';

const sha = 'a'.repeat(64);
const publication: ModelPublication = {
  name: 'ranker',
  version: 'v1',
  published_at: 1,
  format: 'onnx',
  onnx: Buffer.from([1, 2, 3]),
  sha256: sha,
  feature_names: ['ch_transition', 'item_ctr'],
  metrics: {},
  lineage: {},
};

describe('checkPublication', () => {
  it('accepts a publication whose checksum, format and features are right', () => {
    expect(checkPublication('ranker', publication, sha)).toEqual({ ok: true });
    expect(checkPublication('ranker', { ...publication, sha256: sha.toUpperCase() }, sha)).toEqual({ ok: true });
  });

  it.each([
    ['a key that is not the record name', 'other', publication, ModelRejectionReason.InvalidMetadata],
    ['an empty version', 'ranker', { ...publication, version: ' ' }, ModelRejectionReason.InvalidMetadata],
    ['another format', 'ranker', { ...publication, format: 'pmml' }, ModelRejectionReason.UnsupportedFormat],
    ['a checksum of other bytes', 'ranker', { ...publication, sha256: 'b'.repeat(64) }, ModelRejectionReason.ChecksumMismatch],
    ['a checksum that is not hex', 'ranker', { ...publication, sha256: 'xyz' }, ModelRejectionReason.ChecksumMismatch],
    ['an unknown feature', 'ranker', { ...publication, feature_names: ['ch_transition', 'shoe_size'] }, ModelRejectionReason.UnknownFeature],
    ['no features', 'ranker', { ...publication, feature_names: [] }, ModelRejectionReason.InvalidMetadata],
    ['a duplicate feature', 'ranker', { ...publication, feature_names: ['item_ctr', 'item_ctr'] }, ModelRejectionReason.InvalidMetadata],
  ])('refuses %s', (_label, key, candidate, reason) => {
    const check = checkPublication(key, candidate, sha);
    expect(check.ok ? undefined : check.reason).toBe(reason);
  });

  it('names the unknown features in the message', () => {
    const check = checkFeatureNames(['item_ctr', 'shoe_size', 'eye_colour']);
    expect(check.ok ? '' : check.message).toContain('shoe_size, eye_colour');
  });
});

describe('withModel', () => {
  it('returns a new table and leaves the old one as it was', () => {
    const before = new Map([['a', 1]]);
    const added = withModel(before, 'b', 2);
    const removed = withModel(added, 'a', undefined);
    expect([...before]).toEqual([['a', 1]]);
    expect([...added]).toEqual([['a', 1], ['b', 2]]);
    expect([...removed]).toEqual([['b', 2]]);
  });
});
