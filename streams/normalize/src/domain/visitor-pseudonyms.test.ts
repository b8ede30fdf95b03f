import { describe, expect, it } from 'vitest';
import { withVisitorPseudonyms } from './visitor-pseudonyms.js';

const marked = (visitor: string): string => `p${visitor.slice(1)}`;

describe('withVisitorPseudonyms', () => {
  it('replaces idvisitor in both row images (any case in, the pseudonym of the lower-case id out) and keeps every other field', () => {
    const envelope = { op: 'u', before: { idvisit: 1, idvisitor: 'A1B2C3D4E5F60718' }, after: { idvisit: 1, idvisitor: 'a1b2c3d4e5f60718', user_id: '7' }, source: { file: 'b.1', pos: 4 } };
    expect(withVisitorPseudonyms(envelope, marked)).toEqual({ ...envelope, before: { idvisit: 1, idvisitor: 'p1b2c3d4e5f60718' }, after: { idvisit: 1, idvisitor: 'p1b2c3d4e5f60718', user_id: '7' } });
    expect(envelope.before.idvisitor).toBe('A1B2C3D4E5F60718');
  });

  it('leaves a record without a visitor id, a tombstone, a delete image and a value that is no visitor id alone', () => {
    const dataset = { op: 'c', before: null, after: { id: 3, title: 't' } };
    expect(withVisitorPseudonyms(dataset, marked)).toBe(dataset);
    expect(withVisitorPseudonyms(null, marked)).toBeNull();
    expect(withVisitorPseudonyms({ op: 'd', before: { idvisitor: '00000000000000ff' }, after: null }, marked)).toEqual({ op: 'd', before: { idvisitor: 'p0000000000000ff' }, after: null });
    const bad = { op: 'c', before: null, after: { idvisitor: 'not-hex' } };
    expect(withVisitorPseudonyms(bad, marked)).toBe(bad);
  });
});
