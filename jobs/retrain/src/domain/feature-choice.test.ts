import { describe, expect, it } from 'vitest';
import { chooseFeatures } from './feature-choice.js';
import { queryProgressLine, receivedProgressLine } from './extract-progress.js';

describe('the run columns', () => {
  it('takes the list logged on most item rows, without names that are not ranking features', () => {
    const choice = chooseFeatures(
      [
        { id: '1', featureNames: ['fused_score', 'item_ctr'], itemRows: 10 },
        { id: '2', featureNames: ['item_ctr', 'fused_score', 'popularity'], itemRows: 90 },
      ],
      undefined,
    );
    expect(choice.featureNames).toEqual(['item_ctr', 'fused_score']);
    expect(choice.dropped).toEqual(['popularity']);
    expect(choice.why).toBe('logged on 90 of 100 item rows (2 distinct lists)');
  });

  it('uses --features when given', () => {
    expect(chooseFeatures([], ['item_ctr']).featureNames).toEqual(['item_ctr']);
  });

  it('breaks ties deterministically', () => {
    const lists = [
      { id: '1', featureNames: ['item_ctr'], itemRows: 5 },
      { id: '2', featureNames: ['fused_score'], itemRows: 5 },
    ];
    expect(chooseFeatures(lists, undefined).featureNames).toEqual(['fused_score']);
    expect(chooseFeatures([...lists].reverse(), undefined).featureNames).toEqual(['fused_score']);
  });

  it('says when there is nothing to train on', () => {
    expect(() => chooseFeatures([], undefined)).toThrow(/no exposure with logged features/);
    expect(() => chooseFeatures([{ id: '1', featureNames: ['popularity'], itemRows: 3 }], undefined)).toThrow(/include no ranking feature/);
  });
});

describe('extraction progress lines', () => {
  it('shows rows, share, rate and ETA when ClickHouse knows the total', () => {
    expect(queryProgressLine({ readRows: 1_000_000, totalRowsApprox: 4_000_000, elapsedSeconds: 4 })).toBe(
      'extract: ClickHouse read 1,000,000 of ~4,000,000 rows (25.0%), 250,000 rows/s, ETA 12 s, 4 s elapsed',
    );
  });

  it('leaves the ETA out while the total is unknown', () => {
    expect(queryProgressLine({ readRows: 500, totalRowsApprox: 0, elapsedSeconds: 0 })).toBe('extract: ClickHouse read 500 rows, rate —, ETA —, 0 s elapsed');
    expect(receivedProgressLine(120_000, 3_400, 2.5)).toBe('extract: received 120,000 rows of 3,400 requests, 48,000 rows/s');
  });
});
