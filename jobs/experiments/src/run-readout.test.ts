import { describe, expect, it } from 'vitest';
import { renderFamilies } from './adapters/metrics-registry.js';
import { DEFAULT_POLICY } from './domain/policy.js';
import type { ExperimentsReport } from './domain/report.js';
import type { SqlReader } from './domain/warehouse.js';
import { runReadout, type ReadoutDependencies } from './run-readout.js';
import { HALF_HALF, T0 } from './testing/fixtures.js';

/** ClickHouse as the readout sees it: rows per query kind, 64-bit integers as strings. */
function fakeClickHouse(): SqlReader & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    rows(query) {
      queries.push(query);
      if (query.includes('uniqExact(request_id) AS requests')) {
        return Promise.resolve([{ experiment: 'exp', first_ms: String(T0), last_ms: String(T0 + 600_000), users: '4', requests: '8' }]);
      }
      if (query.includes('sum(shown) AS exposures')) {
        return Promise.resolve(
          ['c1', 'c2', 't1', 't2'].map((user) => ({ user_id: user, variant: user.startsWith('c') ? 'control' : 'treatment', bucket_ms: String(T0), requests: '2', exposures: '20', degraded_requests: user.startsWith('t') ? '2' : '0', clicks: user.startsWith('c') ? '1' : '3', downloads: '0' })),
        );
      }
      if (query.includes('count() AS purchases')) return Promise.resolve([{ user_id: 't1', bucket_ms: String(T0), purchases: '1', revenue: 49.9 }]);
      if (query.includes('ARRAY JOIN reasons AS reason')) return Promise.resolve([{ variant: 'treatment', reason: 'ranker_unavailable', requests: '4' }]);
      return Promise.reject(new Error(`unexpected query ${query}`));
    },
  };
}

describe('one readout run', () => {
  it('reads the window’s experiments, judges them against the config and writes the three files', async () => {
    const reader = fakeClickHouse();
    const written: { dir: string; files: { json: string; html: string; metrics: string } }[] = [];
    const progress: string[] = [];
    let clock = T0 + 3_600_000;
    const deps: ReadoutDependencies = {
      reader,
      loadSplits: () => Promise.resolve([{ ...HALF_HALF, id: 'exp' }, { id: 'idle', enabled: true, variants: [{ name: 'a', share: 100 }] }, { id: 'off', enabled: false, variants: [{ name: 'a', share: 100 }] }]),
      writeFiles: (dir, files) => {
        written.push({ dir, files });
        return Promise.resolve([`${dir}/report.json`, `${dir}/report.html`, `${dir}/metrics.prom`]);
      },
      renderMetrics: renderFamilies,
      now: () => (clock += 250),
      progress: (line) => progress.push(line),
    };
    const { report, files } = await runReadout({ experiment: undefined, control: undefined, window: { fromMs: T0 - 86_400_000, toMs: T0 + 3_600_000 }, configFile: 'experiments.yaml', outDir: 'out', database: 'streamrec', rowLimit: 1_000, policy: DEFAULT_POLICY }, deps);
    // the experiment with exposures and the enabled one without; the disabled one is left out
    expect(report.experiments.map((readout) => [readout.experiment, readout.status])).toEqual([
      ['exp', 'valid'],
      ['idle', 'no_data'],
    ]);
    const exp = report.experiments[0];
    expect(exp?.variants.map((variant) => [variant.variant, variant.users, variant.clicks, variant.purchases, variant.revenue])).toEqual([
      ['control', 2, 2, 0, 0],
      ['treatment', 2, 6, 1, 49.9],
    ]);
    // 10 minutes of data → 30-second buckets in both per-user queries
    expect(reader.queries.filter((query) => query.includes('intDiv(') && query.includes(', 30000) * 30000'))).toHaveLength(2);
    expect(files).toEqual(['out/report.json', 'out/report.html', 'out/metrics.prom']);
    const json = JSON.parse(written[0]?.files.json ?? '{}') as ExperimentsReport;
    expect(json.experiments[0]?.lifts.find((lift) => lift.metric === 'ctr')?.relative).toBeCloseTo(2, 12);
    expect(json.durationMs).toBeGreaterThan(0);
    expect(json.experiments[0]?.degraded.find((entry) => entry.variant === 'treatment')).toMatchObject({ share: 1, reasons: [{ reason: 'ranker_unavailable', requests: 4 }] });
    expect(written[0]?.files.html).toContain('<h1>Experiment readout</h1>');
    expect(written[0]?.files.metrics).toContain('experiment_srm_p_value{experiment="exp"} 1');
    expect(progress.some((line) => line.includes('idle: no exposures in the window'))).toBe(true);
  });
});
