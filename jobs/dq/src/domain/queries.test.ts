import { describe, expect, it } from 'vitest';
import { TABLES } from './catalogue.js';
import { cataloguePricesQuery, delayEdges, delaysQuery, finalHealthQuery, futureEventsQuery, hourlyEventsQueries, requiredColumns, rowCountQuery } from './queries.js';

const window = { fromMs: Date.UTC(2001, 2, 10), toMs: Date.UTC(2001, 2, 11) };

describe('queries', () => {
  it('are SELECTs on the streamrec tables, bounded by the window as integer literals', () => {
    for (const table of TABLES) {
      for (const query of [rowCountQuery('streamrec', table, window, 'window'), finalHealthQuery('streamrec', table, window, 'window')]) {
        expect(query).toMatch(/^SELECT /);
        expect(query).toContain(`streamrec.${table}`);
        expect(query).not.toMatch(/undefined|NaN/);
      }
    }
    expect(rowCountQuery('streamrec', 'interactions', window, 'all')).toContain('event_time_ms >= 984182400000 AND event_time_ms < 984268800000');
    expect(rowCountQuery('streamrec', 'items', window, 'window')).toContain('updated_at >= toDateTime(984182400) AND updated_at < toDateTime(984268800)');
    expect(rowCountQuery('streamrec', 'items', window, 'all')).toMatch(/WHERE 1$/);
    expect(rowCountQuery('streamrec', 'order_items', window, 'all')).toContain('order_id IN (SELECT id FROM streamrec.orders WHERE created_at >= toDateTime(984182400)');
  });

  it('count each required value with FINAL on current rows', () => {
    const query = finalHealthQuery('streamrec', 'orders', window, 'all');
    expect(query).toContain('FROM streamrec.orders FINAL');
    expect(query).toContain("countIf(deleted = 0 AND (status = 'paid' AND isNull(paid_at))) AS m4");
    expect(requiredColumns('interactions')).toContain('price (cart, purchase)');
  });

  it('refuse a database name that is not a plain identifier', () => {
    expect(() => rowCountQuery('streamrec; DROP TABLE x', 'items', window, 'all')).toThrow(/not a plain SQL identifier/);
  });

  it('leave stitched copies out of the event counts', () => {
    expect(hourlyEventsQueries('streamrec', window)[0]).toContain("NOT startsWith(event_id, 'stitch:')");
    expect(cataloguePricesQuery('streamrec', window, 'all', 10)).toContain('FINAL WHERE deleted = 0');
  });

  it('bucket delays at fixed edges and the late threshold', () => {
    expect(delayEdges(900_000)).toEqual([1_000, 10_000, 60_000, 900_000, 3_600_000, 21_600_000, 86_400_000]);
    expect(delayEdges(3_600_000)).toHaveLength(6);
    const query = delaysQuery('streamrec', 'interactions', window, 900_000, 60_000);
    expect(query.match(/ AS b\d+/g)).toHaveLength(9);
    expect(query).toContain('countIf(d < -60000) AS b0');
    expect(query).toContain('countIf(d >= 86400000) AS b8');
    expect(futureEventsQuery('streamrec', 'exposures', window, 1_000, 60_000)).toContain('event_time_ms > ingest_time_ms + 60000 OR event_time_ms > 61000');
  });
});
