import { describe, expect, it } from 'vitest';
import { actionKeyId } from '../domain/matomo.js';
import { actionKeysOf, conversionsOf, linkActionsOf } from '../domain/matomo-actions.js';
import { summariseVisit } from '../domain/matomo-visit.js';
import { buildTestWorld } from '../domain/test-world.js';
import {
  CONVERSION_COLUMNS,
  CONVERSION_ITEM_COLUMNS,
  LINK_COLUMNS,
  VISIT_COLUMNS,
  conversionItemRows,
  conversionRow,
  linkRow,
  matomoTime,
  orderBuster,
  visitRow,
} from './matomo-rows.js';

const world = buildTestWorld(2, { datasets: 300, users: 200, days: 7, anonymousVisitsPerDay: 10 });
const session = world.sessions.find((s) => s.orders.some((o) => o.paidAt !== null))!;
const ids = new Map(actionKeysOf(session).map((key, i) => [actionKeyId(key), 1000 + i]));

describe('Matomo row builders', () => {
  it('give one value per column for visit, action, conversion and item rows', () => {
    const summary = summariseVisit(session);
    expect(visitRow(session, summary, ids, null)).toHaveLength(VISIT_COLUMNS.length);
    for (const plan of linkActionsOf(session)) expect(linkRow(session, plan, 7, ids)).toHaveLength(LINK_COLUMNS.length);
    const [conversion] = conversionsOf(session);
    const refs = { idvisit: 7, idlinkVa: 9, idorder: '123' };
    expect(conversionRow(session, summary, conversion!, refs, ids)).toHaveLength(CONVERSION_COLUMNS.length);
    for (const row of conversionItemRows(session, conversion!, refs, ids)) expect(row).toHaveLength(CONVERSION_ITEM_COLUMNS.length);
  });

  it('stores idvisitor as 8 raw bytes and user_id as the shop user id', () => {
    const row = visitRow(session, summariseVisit(session), ids, null);
    const idvisitor = row[VISIT_COLUMNS.indexOf('idvisitor')];
    expect(Buffer.isBuffer(idvisitor) && idvisitor.length).toBe(8);
    expect(row[VISIT_COLUMNS.indexOf('user_id')]).toBe(String(session.userId));
  });

  it('computes buster like Common::hashStringToInt (first 32 bits of md5 of idorder)', () => {
    // md5('123') = 202cb962ac59075b964b07152d234b70 → 0x202cb962
    expect(orderBuster('123')).toBe(0x202cb962);
  });

  it('truncates times to whole seconds for Matomo DATETIME columns', () => {
    expect(matomoTime(new Date('2024-05-01T10:00:00.999Z')).toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });
});
