import { describe, expect, it } from 'vitest';
import { effectiveSettings, planPhases, remainingSeconds, type BenchOptions } from './plan.js';

const options = (overrides: Partial<BenchOptions> = {}): BenchOptions => ({
  outDir: '/tmp/out',
  quick: false,
  areas: ['streams', 'freshness', 'api'],
  runs: undefined,
  events: undefined,
  freshnessSamples: undefined,
  apiRate: undefined,
  apiDuration: undefined,
  ...overrides,
});

describe('effectiveSettings', () => {
  it('full runs use the sub-benches defaults, --quick the smoke settings', () => {
    expect(effectiveSettings(options())).toMatchObject({ streams: { events: 50_000, runs: 3 }, freshness: { samples: 40 }, api: { runs: 3, durationSeconds: 20, rate: 500 } });
    expect(effectiveSettings(options({ quick: true }))).toMatchObject({ streams: { events: 10_000, runs: 2 }, freshness: { samples: 20 }, api: { runs: 2, durationSeconds: 10, rate: 500 } });
  });

  it('explicit knobs win over --quick', () => {
    const settings = effectiveSettings(options({ quick: true, runs: 5, events: 2_000, apiRate: 300, apiDuration: 7 }));
    expect(settings).toMatchObject({ streams: { events: 2_000, runs: 5 }, api: { runs: 5, durationSeconds: 7, rate: 300 } });
  });
});

describe('planPhases', () => {
  it('runs streams, freshness and api in that order with their own --out files', () => {
    const phases = planPhases(effectiveSettings(options({ quick: true })), '/tmp/out/', { platformaticMissing: null });
    expect(phases.map((phase) => [phase.area, phase.script, phase.rawFile])).toEqual([
      ['streams', 'jobs/bench/streams/streams.ts', 'streams.json'],
      ['freshness', 'jobs/bench/streams/streams.ts', 'freshness.json'],
      ['api', 'jobs/bench/api/api.ts', 'api.json'],
    ]);
    expect(phases[0]!.args).toEqual(['--out', '/tmp/out/streams.json', '--events', '10000', '--runs', '2', '--only', 'throughput,clients']);
    expect(phases[1]!.args).toEqual(['--out', '/tmp/out/freshness.json', '--only', 'freshness', '--freshness-samples', '20']);
    expect(phases[2]!.args).toEqual(['--out', '/tmp/out/api.json', '--runs', '2', '--duration', '10', '--rate', '500']);
  });

  it('leaves the client comparison out when @platformatic/kafka is missing, and says why', () => {
    const [streams] = planPhases(effectiveSettings(options({ areas: ['streams'] })), '/tmp/out', { platformaticMissing: 'not in /tmp/pk' });
    expect(streams?.args).toContain('throughput');
    expect(streams?.args).not.toContain('throughput,clients');
    expect(streams?.clientsLeftOut).toBe('not in /tmp/pk');
  });

  it('--only plans just the areas asked for', () => {
    expect(planPhases(effectiveSettings(options({ areas: ['api'] })), '/tmp/out', { platformaticMissing: null }).map((phase) => phase.area)).toEqual(['api']);
  });
});

describe('remainingSeconds', () => {
  const phases = [{ estimateSeconds: 30 }, { estimateSeconds: 20 }, { estimateSeconds: 50 }];

  it('before any phase finished, the ETA is the sum of the estimates', () => {
    expect(remainingSeconds(phases, [])).toBe(100);
  });

  it('scales the remaining estimates by how the finished phases compared with theirs', () => {
    expect(remainingSeconds(phases, [60])).toBe(140);
    expect(remainingSeconds(phases, [15, 10])).toBe(25);
    expect(remainingSeconds(phases, [30, 20, 50])).toBe(0);
  });
});
