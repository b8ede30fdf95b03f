import { describe, expect, it } from 'vitest';
import { apiSection, degradedShares } from './api-section.js';
import { loadFixture } from '../testing/load-fixture.js';
import { parseApiBench } from './sub-bench-shapes.js';

const api = (): ReturnType<typeof parseApiBench> => parseApiBench(loadFixture('api.quick'));

describe('apiSection', () => {
  it('takes the median p99 over runs, the worst run as the tail and the API bench verdict', () => {
    const latency = apiSection(api(), 'api.json').figures[0]!;
    expect(latency).toMatchObject({ median: 1355, tail: 1479, tailKind: 'slow run', samples: 2 });
    expect(latency.target?.met).toBe(false);
    expect(latency.target?.detail).toBe('worst run p99 1,479 ms, slowest run 115 of 500 req/s, all 2xx');
  });

  it('counts failed requests into the verdict detail', () => {
    const bench = api();
    const runs = bench.runs.map((run, index) => (index === 0 ? { ...run, errors: 8, timeouts: 2 } : run));
    expect(apiSection({ ...bench, runs }, 'api.json').figures[0]!.target?.detail).toContain('10 non-2xx, errors or timeouts');
  });

  it('a run at another rate is not judged', () => {
    const bench = api();
    const section = apiSection({ ...bench, settings: { ...bench.settings, rate: 400 }, target: { description: 'p99', met: null, why: 'measured at 400 req/s, not 500' } }, 'api.json');
    expect(section.figures[0]!.target).toMatchObject({ met: null, detail: 'measured at 400 req/s, not 500' });
  });

  it('reports ONNX score(500) of the published ranker and the synthetic trees with their p99', () => {
    const onnx = apiSection(api(), 'api.json').figures.filter((figure) => figure.label.startsWith('ONNX'));
    expect(onnx.map((figure) => [figure.median, figure.tail])).toEqual([
      [0.019, 0.41],
      [5.201, 22.596],
    ]);
  });

  it('says when the ONNX section or the published ranker is missing', () => {
    expect(apiSection({ ...api(), onnx: undefined }, 'api.json').notes.join(' ')).toContain('--skip-onnx');
    const bench = api();
    const noRanker = apiSection({ ...bench, onnx: { ...bench.onnx!, published: { skipped: "no model named 'ranker'" } } }, 'api.json');
    expect(noRanker.notes.join(' ')).toContain("no model named 'ranker'");
    expect(noRanker.figures.filter((figure) => figure.label.startsWith('ONNX'))).toHaveLength(1);
  });

  it('reports the CPU per answer in process against its target, with the stages in a note', () => {
    const serveCpu = {
      settings: { answers: 2_000, runs: 3 },
      cpuMicrosPerAnswer: { median: 3_650, max: 4_100 },
      cpuMicrosP99: { median: 11_000 },
      stages: [
        { stage: 'features', share: 0.25, microsPerAnswer: 912 },
        { stage: 'redis', share: 0.15, microsPerAnswer: 547 },
      ],
    };
    const section = apiSection({ ...api(), serveCpu }, 'api.json');
    const cpu = section.figures.find((figure) => figure.label.startsWith('CPU per answer, in process (mean'));
    expect(cpu).toMatchObject({ median: 3_650, tail: 4_100, samples: 3 });
    expect(cpu?.target).toMatchObject({ met: false, detail: 'median 3,650 µs > 1,000 µs' });
    expect(section.notes.join(' ')).toContain('by stage, µs: features 912, redis 547');
    expect(apiSection({ ...api(), serveCpu: { ...serveCpu, cpuMicrosPerAnswer: { median: 990, max: 1_200 } } }, 'api.json').figures.find((figure) => figure.unit === 'µs')?.target?.met).toBe(true);
    expect(apiSection(api(), 'api.json').figures.some((figure) => figure.unit === 'µs')).toBe(false);
  });

  it('degraded reasons are ranked by their median share over runs', () => {
    const shares = degradedShares(api().runs);
    expect(shares[0]).toEqual(['redis_timeout', (0.7074 + 0.6456) / 2]);
    expect(shares.map(([reason]) => reason)).toContain('fallback_popular');
  });
});
