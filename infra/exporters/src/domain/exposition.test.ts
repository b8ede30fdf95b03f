import { describe, expect, it } from 'vitest';
import { metricName, renderExposition, single } from './exposition.js';

describe('renderExposition', () => {
  it('writes HELP, TYPE and one line per sample, escaping label values', () => {
    const text = renderExposition([
      { name: 'clickhouse_table_rows', help: 'Rows', type: 'gauge', samples: [{ labels: { table: 'a"b\\c\nd' }, value: 3 }] },
      single('clickhouse_up', 'ClickHouse answered', 1),
    ]);
    expect(text).toBe(
      '# HELP clickhouse_table_rows Rows\n# TYPE clickhouse_table_rows gauge\nclickhouse_table_rows{table="a\\"b\\\\c\\nd"} 3\n' +
        '# HELP clickhouse_up ClickHouse answered\n# TYPE clickhouse_up gauge\nclickhouse_up 1\n',
    );
  });

  it('spells NaN and infinities as Prometheus reads them and leaves out families without samples', () => {
    const text = renderExposition([
      { name: 'a', help: 'a', type: 'gauge', samples: [{ value: Number.NaN }, { labels: { x: '1' }, value: Number.POSITIVE_INFINITY }] },
      { name: 'empty', help: 'nothing', type: 'counter', samples: [] },
    ]);
    expect(text).toContain('a NaN\n');
    expect(text).toContain('a{x="1"} +Inf\n');
    expect(text).not.toContain('empty');
  });
});

describe('metricName', () => {
  it('replaces what a metric name cannot hold', () => {
    expect(metricName('ClickHouseAsyncMetrics_jemalloc.background_thread.num_runs')).toBe('ClickHouseAsyncMetrics_jemalloc_background_thread_num_runs');
    expect(metricName('1st')).toBe('_1st');
  });
});
