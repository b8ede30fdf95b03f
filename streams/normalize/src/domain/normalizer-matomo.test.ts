import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { decimalToString } from '@streamrec/schemas';
import { SourceTable } from '@streamrec/cdc';
import { Actions, actionRow, cdcFixture, OTHER_VISITOR, Rows, T0, VISITOR } from './testing/cdc-fixtures.js';
import { harness, INGEST_TIME, summary } from './testing/harness.js';

const { MatomoAction, MatomoLinkVisitAction, MatomoVisit, MatomoConversionItem } = SourceTable;
const HOUR = 3_600_000;
const anon = `anon:${VISITOR}`;
const viewOf42 = (idlinkVa: number, over: Record<string, unknown> = {}) => Rows.pageview(idlinkVa, Actions.datasetPage42.id, over);
const download42 = (idlinkVa: number, over: Record<string, unknown> = {}) =>
  Rows.event(idlinkVa, { category: Actions.category.id, action: Actions.download.id, name: Actions.name42.id }, over);

describe('normalizer: Matomo actions', () => {
  it('emits the view of a dataset page as an Avro-ready interaction stamped with the ingest time', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(cdc.create(MatomoAction, actionRow(Actions.datasetPage42)));
    const result = h.feed(cdc.create(MatomoLinkVisitAction, viewOf42(9)));
    expect(result.interactions).toEqual([
      {
        event_id: 'matomo:lva:9',
        user_id: anon,
        visitor_id: VISITOR,
        item_id: 42,
        action: 'view',
        event_time: T0,
        source: 'matomo',
        session_id: '7',
        price: null,
        quantity: null,
        request_id: null,
        ingest_time: INGEST_TIME,
      },
    ]);
  });

  it('parks an action row whose log_action rows have not arrived and emits it when they do', () => {
    const cdc = cdcFixture();
    const h = harness();
    const first = h.feed(cdc.create(MatomoLinkVisitAction, download42(11)));
    expect(first.interactions).toEqual([]);
    expect(first.parked).toEqual([
      { key: 'matomo:lva:11', waitingFor: [`action:${Actions.category.id}`, `action:${Actions.download.id}`, `action:${Actions.name42.id}`] },
    ]);
    expect(h.feed(cdc.create(MatomoAction, actionRow(Actions.category)), cdc.create(MatomoAction, actionRow(Actions.download))).interactions).toEqual([]);
    const resolved = h.feed(cdc.create(MatomoAction, actionRow(Actions.name42)));
    expect(summary(resolved)).toEqual([['matomo:lva:11', anon, 42, 'download']]);
    expect(h.state.snapshot().parked).toEqual({});
    expect(h.state.snapshot().waiting).toEqual({});
  });

  it('gives the same interactions whether the actions arrive before or after the rows that use them', () => {
    const rows = [viewOf42(9), download42(11)];
    const actions = [Actions.datasetPage42, Actions.category, Actions.download, Actions.name42];
    const actionsFirst = harness();
    const cdcA = cdcFixture();
    const before = actionsFirst.feed(...actions.map((a) => cdcA.create(MatomoAction, actionRow(a))), ...rows.map((r) => cdcA.create(MatomoLinkVisitAction, r)));
    const rowsFirst = harness();
    const cdcB = cdcFixture();
    const after = rowsFirst.feed(...rows.map((r) => cdcB.create(MatomoLinkVisitAction, r)), ...actions.map((a) => cdcB.create(MatomoAction, actionRow(a))));
    expect(summary(after).sort()).toEqual(summary(before).sort());
    expect(summary(after)).toHaveLength(2);
  });

  it('dead-letters a parked row with its decoded row when parkingCapacity later rows pushed it out', () => {
    const cdc = cdcFixture();
    const h = harness({ parkingCapacity: 2 });
    const result = h.feed(...[1, 2, 3].map((n) => cdc.create(MatomoLinkVisitAction, viewOf42(n))));
    expect(result.deadLetters).toHaveLength(1);
    expect(result.deadLetters[0]).toMatchObject({
      rejection: { reason: 'pending_evicted', code: ErrorCode.UnresolvedReference },
      parked: { key: 'matomo:lva:1', job: { table: MatomoLinkVisitAction, row: { idlink_va: 1 } } },
    });
    expect(summary(h.feed(cdc.create(MatomoAction, actionRow(Actions.datasetPage42)))).map(([id]) => id)).toEqual(['matomo:lva:2', 'matomo:lva:3']);
  });

  it('dead-letters a parked row that turns out unmappable once its action arrives, naming the parked row', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(cdc.create(MatomoLinkVisitAction, Rows.pageview(9, Actions.badDatasetPage.id)));
    const result = h.feed(cdc.create(MatomoAction, actionRow(Actions.badDatasetPage)));
    expect(result.deadLetters).toMatchObject([{ rejection: { reason: 'unmapped_url' }, parked: { key: 'matomo:lva:9' } }]);
    expect(h.state.snapshot().parked).toEqual({});
  });

  it('emits one interaction for a row Debezium delivers twice, snapshots again or updates later', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(cdc.create(MatomoAction, actionRow(Actions.datasetPage42)));
    const result = h.feed(
      cdc.create(MatomoLinkVisitAction, viewOf42(9)),
      cdc.create(MatomoLinkVisitAction, viewOf42(9)),
      cdc.read(MatomoLinkVisitAction, viewOf42(9)),
      cdc.update(MatomoLinkVisitAction, viewOf42(9), viewOf42(9, { time_spent: 42 })),
      cdc.delete(MatomoLinkVisitAction, viewOf42(9)),
      cdc.tombstone(MatomoLinkVisitAction),
    );
    expect(summary(result)).toEqual([['matomo:lva:9', anon, 42, 'view']]);
    expect(result.skipped).toEqual(['duplicate_event', 'snapshot_reread', 'duplicate_event', 'source_delete', 'tombstone']);
  });

  it('parks a re-delivered row once while its action is missing', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(cdc.create(MatomoLinkVisitAction, viewOf42(9)), cdc.create(MatomoLinkVisitAction, viewOf42(9)));
    expect(Object.keys(h.state.snapshot().parked)).toEqual(['matomo:lva:9']);
    expect(summary(h.feed(cdc.create(MatomoAction, actionRow(Actions.datasetPage42))))).toHaveLength(1);
  });

  it('keeps the log_action lookup when Matomo purges an action', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(cdc.create(MatomoAction, actionRow(Actions.datasetPage42)), cdc.delete(MatomoAction, actionRow(Actions.datasetPage42)));
    expect(summary(h.feed(cdc.create(MatomoLinkVisitAction, viewOf42(9))))).toHaveLength(1);
  });

  it('takes purchases from ecommerce order items when configured to', () => {
    const cdc = cdcFixture();
    const h = harness({ purchaseSource: 'matomo' });
    const result = h.feed(cdc.create(MatomoConversionItem, Rows.conversionItem()), cdc.create(MatomoAction, actionRow(Actions.sku42)));
    expect(result.interactions).toMatchObject([{ event_id: 'matomo:conversion_item:7:31:500', action: 'purchase', item_id: 42, user_id: anon }]);
    const price = result.interactions[0]?.price;
    expect(price && decimalToString(price)).toBe('999.00');
    expect(result.interactions[0]?.quantity).toBe(1);
  });
});

describe('normalizer: visitor stitching', () => {
  const loggedInVisit = (at: number, over: Record<string, unknown> = {}) => Rows.visit({ idvisit: 8, user_id: '7', visit_last_action_time: at, ...over });

  it('re-emits a visitor\u2019s anonymous interactions under the user who logs in, then credits the user directly', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(...[Actions.datasetPage42, Actions.category, Actions.download, Actions.name42].map((a) => cdc.create(MatomoAction, actionRow(a))));
    const anonymous = h.feed(
      cdc.create(MatomoVisit, Rows.visit()),
      cdc.create(MatomoLinkVisitAction, viewOf42(1, { server_time: T0 - 2 * HOUR })),
      cdc.create(MatomoLinkVisitAction, viewOf42(2, { idvisitor: OTHER_VISITOR, server_time: T0 - HOUR })),
    );
    expect(summary(anonymous)).toEqual([
      ['matomo:lva:1', anon, 42, 'view'],
      ['matomo:lva:2', `anon:${OTHER_VISITOR}`, 42, 'view'],
    ]);
    expect(anonymous.skipped).toContain('anonymous_visit');

    const login = h.feed(cdc.update(MatomoVisit, Rows.visit({ idvisit: 8 }), loggedInVisit(T0)));
    expect(login.stitches).toEqual([{ visitorId: VISITOR, userId: '7', previousUserId: null, at: T0, reemitted: 1 }]);
    expect(summary(login)).toEqual([['stitch:7:matomo:lva:1', '7', 42, 'view']]);
    expect(login.interactions[0]).toMatchObject({ visitor_id: VISITOR, event_time: T0 - 2 * HOUR, session_id: '7' });

    const later = h.feed(cdc.create(MatomoLinkVisitAction, download42(3, { idvisit: 8, server_time: T0 + HOUR })));
    expect(summary(later)).toEqual([['matomo:lva:3', '7', 42, 'download']]);
  });

  it('stitches events that arrive after the login but happened before it under the user, without copies', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(cdc.create(MatomoAction, actionRow(Actions.datasetPage42)), cdc.create(MatomoVisit, loggedInVisit(T0)));
    expect(summary(h.feed(cdc.create(MatomoLinkVisitAction, viewOf42(1, { server_time: T0 - HOUR }))))).toEqual([['matomo:lva:1', '7', 42, 'view']]);
  });

  it('re-emits nothing when the logged-in visit is delivered again', () => {
    const cdc = cdcFixture();
    const h = harness();
    h.feed(cdc.create(MatomoAction, actionRow(Actions.datasetPage42)), cdc.create(MatomoLinkVisitAction, viewOf42(1)));
    expect(h.feed(cdc.create(MatomoVisit, loggedInVisit(T0))).interactions).toHaveLength(1);
    const again = h.feed(cdc.create(MatomoVisit, loggedInVisit(T0)), cdc.update(MatomoVisit, loggedInVisit(T0), loggedInVisit(T0 + 60_000)));
    expect(again.interactions).toEqual([]);
    expect(again.stitches).toEqual([]);
    expect(again.skipped).toEqual(['visitor_already_linked', 'visitor_already_linked']);
  });

  it('rejects a Matomo user id that is not a shop user id', () => {
    const result = harness().feed(cdcFixture().create(MatomoVisit, loggedInVisit(T0, { user_id: 'alice@example.com' })));
    expect(result.deadLetters).toMatchObject([{ rejection: { reason: 'invalid_user_id', code: ErrorCode.UnmappableEvent } }]);
  });
});
