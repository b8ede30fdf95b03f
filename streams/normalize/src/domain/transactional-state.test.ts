import { describe, expect, it } from 'vitest';
import { createInMemoryState } from './normalize-state.js';
import { createNormalizer } from './normalizer.js';
import { SourceTable } from '@streamrec/cdc';
import { Actions, actionRow, cdcFixture, Rows } from './testing/cdc-fixtures.js';
import { transactionalState } from './transactional-state.js';

describe('transactional state', () => {
  it('shows pending writes to readers but keeps them out of the base until commit', () => {
    const base = createInMemoryState();
    base.versions.set('item:1', 5);
    const state = transactionalState(base);
    state.versions.set('item:1', 6);
    state.versions.delete('item:2');
    state.cursors.set('emitted', 1);
    expect(state.versions.get('item:1')).toBe(6);
    expect(base.versions.get('item:1')).toBe(5);
    state.commit();
    expect(base.snapshot().versions).toEqual({ 'item:1': 6 });
    expect(base.snapshot().cursors).toEqual({ emitted: 1 });
  });

  it('lets a batch prepared again after a rollback produce the same outputs', () => {
    const cdc = cdcFixture();
    const base = createInMemoryState();
    const state = transactionalState(base);
    const normalizer = createNormalizer({ state });
    const batch = [cdc.create(SourceTable.MatomoAction, actionRow(Actions.datasetPage42)), cdc.create(SourceTable.MatomoLinkVisitAction, Rows.pageview(9, Actions.datasetPage42.id))];
    const prepare = () => batch.flatMap((input) => normalizer.normalize(input, { ingestTime: 1 }).interactions.map((i) => i.event_id));
    expect(prepare()).toEqual(['matomo:lva:9']);
    state.rollback();
    expect(base.snapshot().emitted).toEqual({});
    expect(prepare()).toEqual(['matomo:lva:9']);
    state.commit();
    expect(prepare()).toEqual([]);
  });
});
