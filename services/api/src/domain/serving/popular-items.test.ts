import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ScoredItem } from '@streamrec/streams-common';
import { emptySnapshot } from '../recall/popular-snapshot.js';
import { item, testCatalogue } from '../test-fixtures.js';
import { popularItems, type HotListQuery, type PopularItemsDependencies } from './popular-items.js';
import type { StageRunner } from './stages.js';

const catalogue = testCatalogue();
const snapshot = {
  ...emptySnapshot,
  popular: [{ item: item(3), score: 9 }, { item: item(4), score: 8 }, { item: item(5), score: 7 }],
  byIndustry: { finance: [{ item: item(4), score: 8 }, { item: item(12), score: 6 }, { item: item(20), score: 5 }] },
  byTag: { tag1: [{ item: item(12), score: 6 }, { item: item(11), score: 4 }] },
};
const runStage: StageRunner = (_stage, work) => work();

function deps(readHotList: (query: HotListQuery) => Promise<readonly ScoredItem[]>): PopularItemsDependencies {
  return { snapshot: () => snapshot, catalogue: (id) => catalogue.get(id), readHotList, runStage };
}

describe('popular items (/v1/popular)', () => {
  it('serves the all-time list from memory without reading Redis', async () => {
    const result = await popularItems({ window: 'all', industry: undefined, tag: undefined, limit: 2 }, deps(() => Promise.reject(new Error('must not read'))));
    expect(result).toEqual({ items: [{ item: '3', score: 1, channels: ['popular'] }, { item: '4', score: 8 / 9, channels: ['popular'] }], degraded: [] });
  });

  it('reads the hot list of the window and scope, keeping only available items of the asked tag within an industry', async () => {
    const queries: HotListQuery[] = [];
    const result = await popularItems({ window: '24h', industry: 'finance', tag: 'tag1', limit: 5 }, deps((query) => {
      queries.push(query);
      return Promise.resolve([{ item: item(12), score: 2 }, { item: item(4), score: 0.5 }]);
    }));
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ scope: { kind: 'industry', name: 'finance' }, window: 'day', limit: 5 });
    expect(queries[0]?.isAvailable(item(12))).toBe(true); // finance, tag1
    expect(queries[0]?.isAvailable(item(20))).toBe(false); // finance, tag2
    expect(result).toEqual({ items: [{ item: '12', score: 1, channels: ['trending'] }, { item: '4', score: 0.25, channels: ['trending'] }], degraded: [] });
  });

  it('falls back to the popular list of the same scope when Redis is down or slow, naming why', async () => {
    const down = await popularItems({ window: '1h', industry: 'finance', tag: 'tag1', limit: 5 }, deps(() => Promise.reject(new Error('ECONNREFUSED'))));
    expect(down).toEqual({ items: [{ item: '12', score: 1, channels: ['popular'] }], degraded: ['redis_unavailable', 'fallback_popular'] });
    const slow = await popularItems({ window: '7d', industry: undefined, tag: undefined, limit: 1 }, deps(() => Promise.reject(new AppError(ErrorCode.Timeout, 'budget'))));
    expect(slow).toEqual({ items: [{ item: '3', score: 1, channels: ['popular'] }], degraded: ['redis_timeout', 'fallback_popular'] });
  });

  it('scores as a share of the list’s best, whatever the scale of the decayed sums (1e36 after months of forward decay)', async () => {
    const huge = { ...snapshot, popular: [{ item: item(3), score: 1.86e36 }, { item: item(4), score: 9.3e35 }, { item: item(5), score: 0 }] };
    const result = await popularItems({ window: 'all', industry: undefined, tag: undefined, limit: 3 }, { ...deps(() => Promise.reject(new Error('unused'))), snapshot: () => huge });
    expect(result.items.map(({ score }) => score)).toEqual([1, 0.5, 0]);
  });
});
