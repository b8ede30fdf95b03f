import { describe, expect, it } from 'vitest';
import { ChangeTally, TRACKED_TABLES } from './tally.js';

describe('ChangeTally', () => {
  it('counts distinct primary keys per table and lists every tracked table', () => {
    const tally = new ChangeTally();
    tally.inserted('shop.datasets', 300);
    tally.updated('shop.datasets', 7);
    tally.updated('shop.datasets', 7);
    tally.updated('shop.datasets', 8);
    tally.deleted('shop.datasets', 9);
    const summary = tally.summary();
    expect(summary.tables['shop.datasets']).toEqual({ inserted: 300, updated: 2, deleted: 1 });
    expect(Object.keys(summary.tables)).toEqual([...TRACKED_TABLES]);
    expect(summary.tables['shop.orders']).toEqual({ inserted: 0, updated: 0, deleted: 0 });
  });

  it('merges a committed transaction without double counting keys', () => {
    const run = new ChangeTally();
    run.updated('matomo.matomo_log_visit', '1');
    const transaction = new ChangeTally();
    transaction.updated('matomo.matomo_log_visit', '1');
    transaction.updated('matomo.matomo_log_visit', '2');
    transaction.inserted('matomo.matomo_log_visit', 5);
    run.mergeFrom(transaction);
    expect(run.summary().tables['matomo.matomo_log_visit']).toEqual({ inserted: 5, updated: 2, deleted: 0 });
  });
});
