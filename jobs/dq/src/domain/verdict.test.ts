import { describe, expect, it } from 'vitest';
import { judge, qualityScore, runStatus, verdictLevel, worstVerdict } from './verdict.js';

describe('verdicts', () => {
  it('fails above the fail threshold, warns above the warn threshold, passes at it (max)', () => {
    const thresholds = { warn: 0.01, fail: 0.05 };
    expect(judge(0.01, thresholds, 'max')).toBe('pass');
    expect(judge(0.02, thresholds, 'max')).toBe('warn');
    expect(judge(0.05, thresholds, 'max')).toBe('warn');
    expect(judge(0.051, thresholds, 'max')).toBe('fail');
  });

  it('judges minimums the other way round, and a lone threshold alone', () => {
    expect(judge(0, { fail: 1 }, 'min')).toBe('fail');
    expect(judge(1, { fail: 1 }, 'min')).toBe('pass');
    expect(judge(5, { warn: 10, fail: 1 }, 'min')).toBe('warn');
    expect(judge(1, { warn: 0 }, 'max')).toBe('warn');
  });

  it('gives an unmeasured value the verdict asked for', () => {
    expect(judge(null, { fail: 1 }, 'max')).toBe('pass');
    expect(judge(Number.NaN, { fail: 1 }, 'max', 'warn')).toBe('warn');
  });

  it('orders verdicts and names the run status', () => {
    expect(worstVerdict([])).toBe('pass');
    expect(worstVerdict(['pass', 'warn', 'pass'])).toBe('warn');
    expect(worstVerdict(['warn', 'fail'])).toBe('fail');
    expect([verdictLevel('pass'), verdictLevel('warn'), verdictLevel('fail')]).toEqual([0, 1, 2]);
    expect([runStatus('pass'), runStatus('warn'), runStatus('fail')]).toEqual(['passed', 'warned', 'failed']);
  });

  it('scores the weighted credit: pass 1, warn ½, fail 0', () => {
    // weights 3 pass, 2 warn, 1 fail: (3 + 1 + 0) / 6 = 66.67 → 66.7
    expect(qualityScore([{ verdict: 'pass', weight: 3 }, { verdict: 'warn', weight: 2 }, { verdict: 'fail', weight: 1 }])).toBe(66.7);
    expect(qualityScore([{ verdict: 'fail', weight: 0 }])).toBe(100);
    expect(qualityScore([{ verdict: 'pass', weight: 1 }, { verdict: 'fail', weight: 1 }])).toBe(50);
  });
});
