import { describe, expect, it } from 'vitest';
import { clickHouseErasures } from './clickhouse-rules.js';
import { erasureSubjects } from './erasure-subjects.js';

describe('the ClickHouse deletes of an erasure', () => {
  it('name the user, their anonymous ids and their orders’ items, as literals only', () => {
    const erasures = clickHouseErasures('streamrec', erasureSubjects('42', ['00aa11bb22cc33dd']), ['7', '8']);
    expect(erasures).toEqual([
      { table: 'streamrec.interactions', where: "user_id IN ('42', 'anon:00aa11bb22cc33dd')" },
      { table: 'streamrec.exposures', where: "user_id IN ('42', 'anon:00aa11bb22cc33dd')" },
      { table: 'streamrec.users', where: "id = toUInt64('42')" },
      { table: 'streamrec.orders', where: "user_id = '42'" },
      { table: 'streamrec.order_items', where: "order_id IN (toUInt64('7'), toUInt64('8'))" },
    ]);
  });

  it('leave order_items alone without orders, and refuse an order id that is not a number', () => {
    expect(clickHouseErasures('streamrec', erasureSubjects('42', []), []).map((erasure) => erasure.table)).not.toContain('streamrec.order_items');
    expect(() => clickHouseErasures('streamrec', erasureSubjects('42', []), ["1') OR 1=1 --"])).toThrow(/not an order id/);
    expect(() => clickHouseErasures('streamrec; DROP', erasureSubjects('42', []), [])).toThrow();
  });
});
