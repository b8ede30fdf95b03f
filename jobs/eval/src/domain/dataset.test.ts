import { describe, expect, it } from 'vitest';
import { isAppError, ErrorCode } from '@streamrec/foundation';
import { attributeTags, buildDataset, datasetStats, historyOf, parseItemAttributes, parseSequences, targetOf } from './dataset.js';

describe('dataset parsing', () => {
  it('reads one user per line with items in time order', () => {
    const users = parseSequences('1 5 3 9\n2 4 4\n\n');
    expect(users).toEqual([
      { user: '1', items: [5, 3, 9] },
      { user: '2', items: [4, 4] },
    ]);
    expect(historyOf(users[0]!)).toEqual([5, 3]);
    expect(targetOf(users[0]!)).toBe(9);
  });

  it('names the line of a malformed entry', () => {
    const attempt = (): unknown => parseSequences('1 2 3\n2 x 4\n');
    expect(attempt).toThrow(/line 2/);
    try {
      attempt();
    } catch (error) {
      expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
    }
    expect(() => parseSequences('1 2\n1 3\n')).toThrow(/appears twice/);
    expect(() => parseSequences('7\n')).toThrow(/no items/);
  });

  it('reads item attributes and turns them into tags', () => {
    const attributes = parseItemAttributes('{"4": [1, 2, 3], "83": [4]}');
    expect(attributes.get(4)).toEqual([1, 2, 3]);
    expect(attributeTags(attributes.get(4))).toEqual(['a1', 'a2', 'a3']);
    expect(attributeTags(undefined)).toEqual([]);
    expect(() => parseItemAttributes('[1]')).toThrow(/JSON object/);
    expect(() => parseItemAttributes('{"x": [1]}')).toThrow(/positive integer/);
  });

  it('counts users, items and the interactions replayed (all but the last per user)', () => {
    const dataset = buildDataset(parseSequences('1 5 3 9\n2 4 7\n'), parseItemAttributes('{"11": [1]}'));
    expect(dataset.items).toEqual([3, 4, 5, 7, 9, 11]);
    expect(datasetStats(dataset)).toEqual({ users: 2, items: 6, interactions: 5, replayed: 3, attributes: 1, itemsWithAttributes: 1, minSequence: 2, maxSequence: 3 });
  });
});
