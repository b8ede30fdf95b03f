import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';
import { buildReport } from './merge.js';
import { machine, outcomes, settings } from '../testing/report-fixtures.js';

const markdown = (): string => renderMarkdown(buildReport({ startedAt: '2026-11-26T03:10:40.000Z', finishedAt: '2026-11-26T03:12:40.000Z', machine, settings, outcomes: outcomes() }));

describe('renderMarkdown', () => {
  it('starts with the machine, load and commit', () => {
    const text = markdown();
    expect(text.startsWith('# streamrec benchmarks, 2026-11-26 03:10 UTC')).toBe(true);
    expect(text).toContain('2 × AMD EPYC, 23.5 GiB memory, Node v20.20.2');
    expect(text).toContain('before 5.46 / 4.15 / 3.92, after 4.10 / 4.00 / 3.90');
    expect(text).toContain('`9ddae866f4dbf8acce31d2e782135215c1a8a519`, tree clean');
    expect(text).toContain('`--quick` smoke run');
  });

  it('has one table per area with median, tail, target and verdict, and links the raw JSON', () => {
    const text = markdown();
    for (const title of ['## Streams', '## Freshness', '## Serving API']) expect(text).toContain(title);
    expect(text).toContain('| features + co-occurrence, four stages in turn on one core | 2,038 interactions/s | 1,988 interactions/s (slow run of 2) |');
    expect(text).toMatch(/commit → Redis field readable \| 178 ms \| 375 ms \(p99 of 20\) \| p99 ≤ 300 ms under 1,000 favourites\/s.* \| \*\*no\*\* \|/);
    expect(text).toContain('| **no** |');
    for (const file of ['streams.json', 'freshness.json', 'api.json', 'bench.json']) expect(text).toContain(`[${file}](${file})`);
  });

  it('a failed area shows its reason instead of a table', () => {
    const list = outcomes();
    list[0] = { ...list[0]!, exitCode: 1, failure: 'jobs/bench/streams/streams.ts exited with 1: broker down', json: undefined };
    const text = renderMarkdown(buildReport({ startedAt: '2026-11-26T03:10:40.000Z', finishedAt: '2026-11-26T03:12:40.000Z', machine, settings, outcomes: list }));
    expect(text).toContain('**failed**: jobs/bench/streams/streams.ts exited with 1: broker down');
  });
});
