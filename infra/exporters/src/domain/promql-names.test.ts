import { describe, expect, it } from 'vitest';
import { promqlMetricNames } from './promql-names.js';

describe('promqlMetricNames', () => {
  it('finds the series an expression reads and nothing else', () => {
    expect(promqlMetricNames('histogram_quantile(0.99, sum by (processor, le) (rate(stream_freshness_seconds_bucket{processor=~"$processor"}[5m])))')).toEqual(['stream_freshness_seconds_bucket']);
    expect(
      promqlMetricNames('cdc_connector_binlog_event_timestamp_seconds + ignoring (connector) group_left () mariadb_binlog_expire_logs_seconds - time() and on (job, instance) up{job="binlog"} == 1'),
    ).toEqual(['cdc_connector_binlog_event_timestamp_seconds', 'mariadb_binlog_expire_logs_seconds', 'up']);
  });

  it('keeps recorded series and leaves out offsets, numbers, keywords and variables', () => {
    expect(promqlMetricNames('a:b:rate5m > a:b:rate5m offset 5m unless on () sum(x_total) > 1e3 or vector(0) * ${factor} + $__interval')).toEqual(['a:b:rate5m', 'x_total']);
    expect(promqlMetricNames('label_replace(sum by (topic) (rate(y_total[5m])), "table", "$1", "topic", "a\\\\.(b)")')).toEqual(['y_total']);
    expect(promqlMetricNames('count by (alertname) (ALERTS{alertstate="firing"}) > bool 0')).toEqual(['ALERTS']);
  });
});
