import { describe, expect, it } from 'vitest';
import { attemptFamilies, readoutFamilies } from '../domain/prometheus-families.js';
import { buildReport } from '../domain/build-report.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { buildReadout } from '../domain/readout.js';
import { population, readoutInput, T0 } from '../testing/fixtures.js';
import { ReadoutMetrics, renderFamilies } from './metrics-registry.js';

const report = (usersPerVariant: Record<string, number>) =>
  buildReport({ startedAtMs: T0, finishedAtMs: T0 + 1_500, window: { fromMs: T0 - 86_400_000, toMs: T0 }, configFile: 'c.yaml', policy: DEFAULT_POLICY }, [
    buildReadout(readoutInput({ activity: population(usersPerVariant, { treatment: 1 }) })),
    buildReadout(readoutInput({ experiment: 'quiet', activity: [] })),
  ]);

describe('readout metrics', () => {
  it('exports the split check, degraded shares and lifts per experiment, leaving out what cannot be computed', async () => {
    const text = await renderFamilies(readoutFamilies(report({ control: 120, treatment: 70 })));
    expect(text).toContain('experiment_srm_detected{experiment="exp"} 1');
    expect(text).toContain('experiment_readout_valid{experiment="exp"} 0');
    expect(text).toMatch(/experiment_srm_p_value\{experiment="exp"\} 0\.000\d+/);
    expect(text).toContain('experiment_users{experiment="exp",variant="control"} 120');
    expect(text).toContain('experiment_degraded_share{experiment="exp",variant="treatment"} 0');
    expect(text).toMatch(/experiment_lift_lower\{experiment="exp",variant="treatment",metric="ctr"\} 0\.\d+/);
    // no users → no series; no purchases → no conversion lift (0 / 0), never NaN
    expect(text).not.toContain('quiet');
    expect(text).not.toMatch(/\bNa[Nn]\b/);
    expect(text).toContain('experiment_metric_value{experiment="exp",variant="treatment",metric="conversion"} 0');
    expect(text).not.toMatch(/experiment_lift\{[^}]*metric="conversion"\}/);
    expect(text).toContain('experiment_readout_duration_seconds 1.5');
  });

  it('replaces an experiment’s series on the next update and keeps the loop’s attempt figures beside them', async () => {
    const metrics = new ReadoutMetrics();
    metrics.update(readoutFamilies(report({ control: 120, treatment: 70 })));
    metrics.update(attemptFamilies(T0, false));
    metrics.update(readoutFamilies(report({ control: 100, treatment: 100 })));
    const text = await metrics.text();
    expect(text).toContain('experiment_srm_detected{experiment="exp"} 0');
    expect(text).toContain('experiment_users{experiment="exp",variant="control"} 100');
    expect(text).toContain('experiment_readout_last_attempt_success 0');
  });
});
