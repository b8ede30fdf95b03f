import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import type { TopicReader } from './adapters/kafka-topics.js';
import type { DqReport } from './domain/report.js';
import type { SqlReader } from './domain/warehouse.js';
import { runDq, runWindow, type DqDependencies } from './run-dq.js';
import { deadLetterRecord, repoSettings, topicRead, WINDOW } from './testing/fixtures.js';

/** A ClickHouse with 10 events at the start of the window and nothing else. */
const reader: SqlReader = {
  rows: (query) => {
    if (query.includes("AS hour_ms, toString(source)")) return Promise.resolve([{ hour_ms: String(WINDOW.fromMs), series: 'matomo', events: '10' }]);
    if (query.startsWith('SELECT count() AS rows FROM')) return Promise.resolve([{ rows: '0' }]);
    return Promise.resolve([]);
  },
};

const topics = (fail: boolean): TopicReader => ({
  read: (requests) => (fail ? Promise.reject(new Error('broker down')) : Promise.resolve(new Map(requests.map((request) => [request.prefix, topicRead(request.prefix === 'dlq.' ? [deadLetterRecord('normalize', 'x')] : [])])))),
});

describe('one run', () => {
  let dir: string;
  const recorded: Record<string, unknown>[] = [];
  const deps = (fail = false): DqDependencies => ({ reader, topics: topics(fail), runs: { write: (row) => Promise.resolve(void recorded.push(row)) }, now: () => WINDOW.toMs, randomSuffix: () => 'abc123', progress: () => undefined });
  const input = (record: boolean) => ({ settings: repoSettings(), settingsPath: 'config/data-quality.yaml', database: 'streamrec', rowLimit: 1_000, sinceMs: WINDOW.fromMs, untilMs: WINDOW.toMs, outDir: dir, record });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dq-run-'));
    recorded.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes report.json, report.html and metrics.prom and records the row', async () => {
    const { report, files } = await runDq(input(true), deps());
    expect(files.map((file) => file.slice(dir.length + 1))).toEqual(['report.json', 'report.html', 'metrics.prom']);
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as DqReport;
    expect(json.runId).toBe('dq-20010310T060000Z-abc123');
    expect(json.checks.find((check) => check.name === 'dlq_records')).toMatchObject({ value: 1, verdict: 'warn' });
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('<!DOCTYPE html>');
    expect(await readFile(join(dir, 'metrics.prom'), 'utf8')).toContain('dq_score{suite="pipeline"}');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.['run_id']).toBe(report.runId);
  });

  it('records nothing with --no-record and judges unreadable topics as configured', async () => {
    const { report } = await runDq(input(false), deps(true));
    expect(recorded).toHaveLength(0);
    expect(report.checks.find((check) => check.name === 'dlq_records')).toMatchObject({ value: null, verdict: 'warn' });
  });

  it('takes the config default window up to now and refuses one longer than max_days', () => {
    const settings = repoSettings();
    expect(runWindow(settings, 10 * 86_400_000, undefined, undefined)).toEqual({ fromMs: 10 * 86_400_000 - 24 * 3_600_000, toMs: 10 * 86_400_000 });
    expect(() => runWindow(settings, 0, 0, 40 * 86_400_000)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }) as Error);
  });
});
