import { describe, expect, it } from 'vitest';
import { clickHouseFamilies } from './clickhouse-families.js';
import { renderExposition } from './exposition.js';

describe('clickHouseFamilies', () => {
  it('names the system tables\' figures as ClickHouse\'s own endpoint does and labels table figures', () => {
    const text = renderExposition(
      clickHouseFamilies('streamrec', {
        metrics: [{ name: 'Query', value: 1 }],
        events: [{ name: 'InsertedRows', value: 1000 }],
        asyncMetrics: [{ name: 'jemalloc.allocated', value: 123 }, { name: 'MaxPartCountForPartition', value: 12 }],
        tables: [{ table: 'interactions', engine: 'ReplacingMergeTree', parts: 20, rows: 153_800, bytes: 4_531_036, modifiedSeconds: 1_796_430_000 }],
      }),
    );
    for (const line of [
      'clickhouse_up 1',
      '# TYPE ClickHouseMetrics_Query gauge',
      'ClickHouseMetrics_Query 1',
      '# TYPE ClickHouseProfileEvents_InsertedRows counter',
      'ClickHouseProfileEvents_InsertedRows 1000',
      'ClickHouseAsyncMetrics_jemalloc_allocated 123',
      'ClickHouseAsyncMetrics_MaxPartCountForPartition 12',
      'clickhouse_table_rows{database="streamrec",table="interactions"} 153800',
      'clickhouse_table_parts{database="streamrec",table="interactions"} 20',
      'clickhouse_table_modified_timestamp_seconds{database="streamrec",table="interactions"} 1796430000',
    ]) {
      expect(text).toContain(`${line}\n`);
    }
  });

  it('exports the events a dashboard reads as 0 until they first happen', () => {
    const text = renderExposition(clickHouseFamilies('streamrec', { metrics: [], events: [{ name: 'Query', value: 7 }], asyncMetrics: [], tables: [] }));
    expect(text).toContain('ClickHouseProfileEvents_Query 7\n');
    expect(text).toContain('ClickHouseProfileEvents_FailedInsertQuery 0\n');
    expect(text.match(/^ClickHouseProfileEvents_Query /gm)).toHaveLength(1);
  });

  it('says ClickHouse is down and nothing else when it did not answer', () => {
    expect(renderExposition(clickHouseFamilies('streamrec', undefined))).toBe('# HELP clickhouse_up ClickHouse answered the exporter\'s queries (1) or not (0)\n# TYPE clickhouse_up gauge\nclickhouse_up 0\n');
  });
});
