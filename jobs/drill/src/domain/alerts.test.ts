import { describe, expect, it } from 'vitest';
import { describeAlerts, matching, parseAlerts } from './alerts.js';

const answer = {
  status: 'success',
  data: {
    alerts: [
      { labels: { alertname: 'RedisDown', severity: 'page', job: 'redis' }, state: 'pending', activeAt: '2026-12-05T01:00:00Z', value: '0e+00' },
      { labels: { alertname: 'StreamProcessorDown', severity: 'page', component: 'features' }, state: 'firing', activeAt: '2026-12-05T01:00:00Z', value: '0e+00' },
    ],
  },
};

describe('alerts', () => {
  it('reads the active alerts of a Prometheus answer', () => {
    const alerts = parseAlerts(answer);
    expect(alerts.map((alert) => [alert.name, alert.state])).toEqual([
      ['RedisDown', 'pending'],
      ['StreamProcessorDown', 'firing'],
    ]);
  });

  it('refuses what is not an alerts answer instead of reading it as "no alert"', () => {
    expect(() => parseAlerts({ status: 'error', error: 'bad' })).toThrow('not a Prometheus alerts answer');
    expect(() => parseAlerts({ status: 'success', data: { alerts: [{ labels: {}, state: 'firing' }] } })).toThrow('not an active alert');
  });

  it('matches by name and a subset of labels', () => {
    const alerts = parseAlerts(answer);
    expect(matching(alerts, 'StreamProcessorDown', { component: 'features' })).toHaveLength(1);
    expect(matching(alerts, 'StreamProcessorDown', { component: 'trending' })).toHaveLength(0);
    expect(matching(alerts, 'KafkaBrokerDown')).toHaveLength(0);
  });

  it('describes alerts with their distinguishing labels', () => {
    expect(describeAlerts(parseAlerts(answer))).toBe('RedisDown (pending), StreamProcessorDown{component=features} (firing)');
    expect(describeAlerts([])).toBe('no active alert');
  });
});
