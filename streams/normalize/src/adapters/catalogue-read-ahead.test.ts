import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startCatalogueReadAhead, type CatalogueReadAheadOptions } from './catalogue-read-ahead.js';

const log = pino({ level: 'silent' });

function world(overrides: Partial<CatalogueReadAheadOptions> = {}): { calls: string[]; stored: Map<number, bigint>; holds: boolean[]; options: CatalogueReadAheadOptions } {
  const calls: string[] = [];
  const stored = new Map<number, bigint>();
  const holds: boolean[] = [];
  const options: CatalogueReadAheadOptions = {
    catalogueTopic: 'cdc.shop.datasets',
    otherTopics: ['cdc.matomo.matomo_log_visit', 'cdc.shop.favorites'],
    consumer: {
      pause: (topics) => calls.push(`pause ${topics.map(({ topic }) => topic).join(',')}`),
      resume: (topics) => calls.push(`resume ${topics.map(({ topic }) => topic).join(',')}`),
    },
    endOffsets: () => Promise.resolve(new Map([[0, 10n], [2, 4n]])),
    storedOffset: (partition) => Promise.resolve(stored.get(partition)),
    startsAtLatest: false,
    log,
    onHold: (hold) => holds.push(hold),
    pollMs: 5,
    ...overrides,
  };
  return { calls, stored, holds, options };
}

describe('reading the datasets ahead', () => {
  it('holds the other topics back until every datasets partition was applied up to its end as of the start', async () => {
    const { calls, stored, holds, options } = world();
    const readAhead = startCatalogueReadAhead(options);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual(['pause cdc.matomo.matomo_log_visit,cdc.shop.favorites']);
    stored.set(0, 9n);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toHaveLength(1); // partition 2 not there yet
    stored.set(2, 3n);
    expect(await readAhead.done).toBe('caught_up');
    expect(calls).toEqual(['pause cdc.matomo.matomo_log_visit,cdc.shop.favorites', 'resume cdc.matomo.matomo_log_visit,cdc.shop.favorites']);
    expect(holds).toEqual([true, false]);
  });

  it('pauses nothing when the consumer may start at the log end (its latest offsets would be resolved only at the resume), or when every dataset was applied already', async () => {
    const atLatest = world({ startsAtLatest: true });
    expect(await startCatalogueReadAhead(atLatest.options).done).toBe('caught_up');
    expect(atLatest.calls).toEqual([]);
    const restarted = world();
    restarted.stored.set(0, 9n).set(2, 3n);
    expect(await startCatalogueReadAhead(restarted.options).done).toBe('caught_up');
    expect(restarted.calls).toEqual([]);
  });

  it('resumes the other topics anyway after the timeout, or when the offsets cannot be read', async () => {
    const slow = world({ timeoutMs: 20 });
    expect(await startCatalogueReadAhead(slow.options).done).toBe('timeout');
    expect(slow.calls.at(-1)).toMatch(/^resume/);
    const broken = world({ endOffsets: () => Promise.reject(new Error('broker down')) });
    expect(await startCatalogueReadAhead(broken.options).done).toBe('timeout');
    expect(broken.calls).toEqual([]); // never paused
    let reads = 0;
    const failsLater = world({ storedOffset: () => (reads++ === 0 ? Promise.resolve(undefined) : Promise.reject(new Error('redis down'))) });
    expect(await startCatalogueReadAhead(failsLater.options).done).toBe('timeout');
    expect(failsLater.calls.at(-1)).toMatch(/^resume/);
  });

  it('stops without resuming a consumer that is being stopped', async () => {
    const { calls, options } = world();
    const readAhead = startCatalogueReadAhead(options);
    await new Promise((resolve) => setTimeout(resolve, 20));
    readAhead.stop();
    expect(await readAhead.done).toBe('stopped');
    expect(calls).toEqual(['pause cdc.matomo.matomo_log_visit,cdc.shop.favorites']);
  });
});
