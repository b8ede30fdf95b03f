import { describe, expect, it } from 'vitest';
import { machine, outcomes, settings } from '../testing/report-fixtures.js';
import { buildReport, type PhaseOutcome } from './merge.js';

const report = (list: PhaseOutcome[]): ReturnType<typeof buildReport> => buildReport({ startedAt: '2026-11-26T03:10:40.000Z', finishedAt: '2026-11-26T03:12:40.000Z', machine, settings, outcomes: list });

describe('buildReport', () => {
  it('collects one target row per area with its verdict', () => {
    const merged = report(outcomes());
    expect(merged.targets.map((target) => [target.area, target.met])).toEqual([
      ['streams', false],
      ['freshness', false],
      ['api', false],
    ]);
    expect(merged.allTargetsMet).toBe(false);
    expect(merged.phases.map((phase) => phase.rawFile)).toEqual(['streams.json', 'freshness.json', 'api.json']);
  });

  it('a failed phase becomes a failed section and a missed target, never a pass', () => {
    const list = outcomes().filter((outcome) => outcome.area === 'freshness');
    list.push({ area: 'api', rawFile: 'api.json', seconds: 4, exitCode: 1, failure: 'jobs/bench/api/api.ts exited with 1: no user state', json: undefined, clientsLeftOut: null });
    const merged = report(list);
    expect(merged.sections[1]).toMatchObject({ status: 'failed', reason: expect.stringContaining('no user state') as unknown });
    expect(merged.targets[1]).toMatchObject({ area: 'api', met: false });
    expect(merged.phases[1]).toMatchObject({ rawFile: null, exitCode: 1, status: 'failed' });
    expect(merged.allTargetsMet).toBe(false);
  });

  it('JSON of the wrong shape fails its section with the path, the others still merge', () => {
    const list = outcomes();
    list[2] = { ...list[2]!, json: { benchmark: 'api' } };
    const merged = report(list);
    expect(merged.sections[2]).toMatchObject({ status: 'failed', rawFile: 'api.json' });
    expect(merged.sections[2]!.reason).toContain('runs');
    expect(merged.sections[0]!.status).toBe('ok');
  });

  it('only the freshness phase: its verdict alone decides whether every judged target is met', () => {
    const [freshness] = outcomes().slice(1, 2);
    expect(report([freshness!]).allTargetsMet).toBe(false);
    const json = freshness!.json as { freshness: { freshnessMs: Record<string, number> } };
    const fast = { ...json, freshness: { ...json.freshness, freshnessMs: { ...json.freshness.freshnessMs, p99: 264 } } };
    expect(report([{ ...freshness!, json: fast }]).allTargetsMet).toBe(true);
  });
});
