import { describe, expect, it } from 'vitest';
import { loadFixture } from '../testing/load-fixture.js';
import { freshnessSection, streamsSection } from './streams-section.js';
import { parseStreamsBench } from './sub-bench-shapes.js';

const streams = (): ReturnType<typeof parseStreamsBench> => parseStreamsBench(loadFixture('streams.quick'));

describe('streamsSection', () => {
  it('judges the 25,000 interactions/s target on the slow run of features + co-occurrence', () => {
    const section = streamsSection(streams(), 'streams.json');
    const total = section.figures[0]!;
    expect(total).toMatchObject({ median: 2038, tail: 1988, tailKind: 'slow run', samples: 2 });
    expect(total.target).toMatchObject({ met: false });
    expect(total.target?.detail).toContain('slow run 1,988/s');
  });

  it('a median above the target with a slow run below it is not met', () => {
    const bench = streams();
    const summary = { median: 26_000, p99: 24_500, min: 24_500, max: 27_000, samples: 3 };
    const section = streamsSection({ ...bench, throughput: { ...bench.throughput!, featuresPlusCooccurrenceInteractionsPerSecond: summary } }, 'streams.json');
    expect(section.figures[0]!.target?.met).toBe(false);
    const fast = { ...summary, p99: 25_100 };
    expect(streamsSection({ ...bench, throughput: { ...bench.throughput!, featuresPlusCooccurrenceInteractionsPerSecond: fast } }, 'streams.json').figures[0]!.target?.met).toBe(true);
  });

  it('judges Redis commands per interaction against ≤ 8 when the bench counted them, and shows nothing when it did not', () => {
    const bench = streams();
    expect(streamsSection(bench, 'streams.json').figures.some((figure) => figure.unit === 'commands')).toBe(false);
    const counted = { ...bench, throughput: { ...bench.throughput!, redisCommandsPerInteraction: 52.65 } };
    const commands = streamsSection(counted, 'streams.json').figures.find((figure) => figure.unit === 'commands');
    expect(commands).toMatchObject({ median: 52.65, target: { met: false, detail: '52.65 > 8' } });
    const few = { ...bench, throughput: { ...bench.throughput!, redisCommandsPerInteraction: 7.5 } };
    expect(streamsSection(few, 'streams.json').figures.find((figure) => figure.unit === 'commands')?.target?.met).toBe(true);
  });

  it('judges the apply scripts against p99 ≤ 5 ms (at most 1 % over) when the bench watched them', () => {
    const bench = streams();
    expect(streamsSection(bench, 'streams.json').figures.some((figure) => figure.unit === 'ms')).toBe(false);
    const slow = { ...bench, throughput: { ...bench.throughput!, longestScriptMs: 48.2, scriptsOver5msShare: 0.12 } };
    expect(streamsSection(slow, 'streams.json').figures.find((figure) => figure.unit === 'ms')).toMatchObject({ median: 48.2, target: { met: false, detail: '12.00 % over 5 ms > 1 %, longest 48.2 ms' } });
    const rare = { ...bench, throughput: { ...bench.throughput!, longestScriptMs: 7.1, scriptsOver5msShare: 0.004 } };
    expect(streamsSection(rare, 'streams.json').figures.find((figure) => figure.unit === 'ms')?.target?.met).toBe(true);
  });

  it('lists every stage alone and the client comparison', () => {
    const labels = streamsSection(streams(), 'streams.json').figures.map((figure) => figure.label);
    expect(labels).toContain('features-user alone');
    expect(labels).toContain('cooccurrence-item alone');
    expect(labels.some((label) => label.startsWith('@platformatic/kafka 2.12.1'))).toBe(true);
  });

  it('says why the client comparison is missing when it was left out or skipped', () => {
    expect(streamsSection({ ...streams(), clients: undefined }, 'streams.json', 'not installed').notes.join(' ')).toContain('left out: not installed');
    const skipped = streamsSection({ ...streams(), clients: { skipped: '@platformatic/kafka not installed' } }, 'streams.json');
    expect(skipped.notes.join(' ')).toContain('skipped by the streams bench');
    expect(skipped.figures.some((figure) => figure.unit === 'messages/s')).toBe(false);
  });
});

describe('freshnessSection', () => {
  it('judges p99 ≤ 300 ms under the trickle: the quick run\'s 375 ms misses, 264 ms with nothing lost meets it', () => {
    const bench = parseStreamsBench(loadFixture('freshness.quick'));
    const section = freshnessSection(bench, 'freshness.json');
    expect(section.figures[0]).toMatchObject({ median: 178, tail: 375, tailKind: 'p99', samples: 20 });
    expect(section.figures[0]!.target).toMatchObject({ met: false, detail: 'p99 375 ms over 20 commits, 0 lost, trickle 996/s' });
    expect(section.notes.join(' ')).toContain('996/s achieved: 12516 rows in 12.6 s');
    const fast = { ...bench.freshness!, freshnessMs: { ...bench.freshness!.freshnessMs, p99: 264 } };
    expect(freshnessSection({ ...bench, freshness: fast }, 'freshness.json').figures[0]!.target?.met).toBe(true);
  });

  it('a fast p99 without the load does not meet the target: no trickle, or one short of 95 % of 1,000/s', () => {
    const bench = parseStreamsBench(loadFixture('freshness.quick'));
    const fast = { ...bench.freshness!, freshnessMs: { ...bench.freshness!.freshnessMs, p99: 80 } };
    const { trickle, ...unloaded } = fast;
    expect(trickle).toBeDefined();
    expect(freshnessSection({ ...bench, freshness: unloaded }, 'freshness.json').figures[0]!.target).toMatchObject({ met: false, detail: expect.stringContaining('no trickle') as unknown });
    const light = { ...fast, trickle: { ...trickle!, achievedPerSecond: 940 } };
    expect(freshnessSection({ ...bench, freshness: light }, 'freshness.json').figures[0]!.target?.met).toBe(false);
    expect(freshnessSection({ ...bench, freshness: { ...light, trickle: { ...trickle!, achievedPerSecond: 950 } } }, 'freshness.json').figures[0]!.target?.met).toBe(true);
  });

  it('a lost commit fails the target even with a fast p99', () => {
    const bench = parseStreamsBench(loadFixture('freshness.quick'));
    const section = freshnessSection({ ...bench, freshness: { ...bench.freshness!, lost: 1 } }, 'freshness.json');
    expect(section.figures[0]!.target).toMatchObject({ met: false });
    expect(section.figures[0]!.target?.detail).toContain('1 lost');
  });

  it('a streams report without a freshness section is a failed section', () => {
    expect(freshnessSection(streams(), 'streams.json').status).toBe('failed');
  });
});
