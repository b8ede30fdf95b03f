import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { DEFAULT_POLICY } from './policy.js';
import { buildReadout } from './readout.js';
import { reportHtml } from './report-html.js';
import { summaryLines } from './summary-table.js';
import { HOUR, population, readoutInput, T0 } from '../testing/fixtures.js';

const meta = { startedAtMs: T0, finishedAtMs: T0 + 900, window: { fromMs: T0 - HOUR, toMs: T0 + 3 * HOUR }, configFile: 'config/experiments.yaml', policy: DEFAULT_POLICY };

describe('the readout for people', () => {
  const lifted = buildReadout(readoutInput({ activity: population({ control: 80, treatment: 80 }, { treatment: 1 }) }));
  const broken = buildReadout(readoutInput({ experiment: '<b>broken</b>', activity: population({ control: 150, treatment: 60 }) }));
  const report = buildReport(meta, [lifted, broken]);

  it('draws per experiment the cumulative lift with its interval, per-bucket lines and users vs expected', () => {
    const page = reportHtml(report);
    expect(page).toContain('Cumulative lift of CTR vs control');
    expect(page).toMatch(/<g class="interval" data-interval="treatment: 95 % interval"><path /);
    expect(page).toContain('CTR per bucket');
    expect(page).toContain('Users per variant: observed vs expected from the configured shares');
    expect(page).toContain('Degraded answers per variant');
    expect(page).toContain('>INVALID<');
    expect(page).toContain('>DO NOT READ<');
    expect(page).toContain('>SIGNIFICANT<');
  });

  it('is self-contained and escapes what came from the data', () => {
    const page = reportHtml(report);
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(page).not.toContain('<b>broken</b>');
    expect(page).toContain('&lt;b&gt;broken&lt;/b&gt;');
    expect(page).not.toMatch(/NaN|Infinity/);
  });

  it('prints a table per experiment with the lift, the split check and the files', () => {
    const lines = summaryLines(report, ['out/report.json']);
    const text = lines.join('\n');
    expect(text).toContain('experiment exp: VALID');
    expect(text).toMatch(/treatment\s+80\s+160\s+1,600\s+/);
    expect(text).toMatch(/treatment\s+CTR\s+\+\d+\.\d %\s+\[\+\d+\.\d %, \+\d+\.\d %\]\s+\S+\s+significant/);
    expect(text).toContain('experiment <b>broken</b>: INVALID — sample ratio mismatch');
    expect(text).toContain('→ MISMATCH');
    expect(lines.at(-1)).toBe('files: out/report.json');
  });
});
