import { describe, expect, it } from 'vitest';
import { alertLines, parseNotification, toNdjson } from './alertmanager-webhook.js';

const notification = {
  version: '4',
  groupKey: '{}/{severity="page"}:{alertname="KafkaConnectDown", severity="page"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'page',
  groupLabels: { alertname: 'KafkaConnectDown', severity: 'page' },
  commonLabels: { alertname: 'KafkaConnectDown', severity: 'page', job: 'connect' },
  commonAnnotations: { summary: 'the Connect worker is down' },
  externalURL: 'http://127.0.0.1:19094',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'KafkaConnectDown', severity: 'page', job: 'connect', instance: '127.0.0.1:19112' },
      annotations: { summary: 'the Connect worker is down' },
      startsAt: '2026-12-05T01:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://127.0.0.1:19090/graph?g0.expr=up',
      fingerprint: 'a1b2',
    },
    {
      status: 'resolved',
      labels: { alertname: 'KafkaConnectDown', severity: 'page', job: 'connect', instance: '127.0.0.1:29112' },
      annotations: {},
      startsAt: '2026-12-05T00:00:00Z',
      endsAt: '2026-12-05T00:30:00Z',
      generatorURL: '',
      fingerprint: 'c3d4',
    },
  ],
};

describe('an Alertmanager notification', () => {
  it('becomes one line per alert, with the receiver, the alert name, severity, labels and annotations', () => {
    const parsed = parseNotification(JSON.stringify(notification));
    if (!parsed.ok) throw new Error(parsed.message);
    const lines = alertLines(parsed.notification, new Date('2026-12-05T01:00:10Z'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      receivedAt: '2026-12-05T01:00:10.000Z',
      receiver: 'page',
      groupKey: notification.groupKey,
      status: 'firing',
      alertname: 'KafkaConnectDown',
      severity: 'page',
      labels: notification.alerts[0]?.labels,
      annotations: { summary: 'the Connect worker is down' },
      startsAt: '2026-12-05T01:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: 'a1b2',
      generatorURL: 'http://127.0.0.1:19090/graph?g0.expr=up',
    });
    expect(lines[1]?.status).toBe('resolved');
  });

  it('is written as NDJSON, one JSON object per line', () => {
    const parsed = parseNotification(JSON.stringify(notification));
    if (!parsed.ok) throw new Error(parsed.message);
    const text = toNdjson(alertLines(parsed.notification, new Date(0)));
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n').map((line) => (JSON.parse(line) as { fingerprint: string }).fingerprint)).toEqual(['a1b2', 'c3d4']);
  });

  it('is refused when it is not JSON or not a version 4 payload, naming what is wrong', () => {
    expect(parseNotification('{')).toMatchObject({ ok: false, reason: 'invalid_json' });
    const wrongVersion = parseNotification(JSON.stringify({ ...notification, version: '3' }));
    const noLabels = parseNotification(JSON.stringify({ ...notification, alerts: [{ status: 'firing' }] }));
    expect(wrongVersion).toMatchObject({ ok: false, reason: 'invalid_payload' });
    expect(noLabels).toMatchObject({ ok: false, reason: 'invalid_payload' });
    expect(wrongVersion.ok ? '' : wrongVersion.message).toContain('version');
    expect(noLabels.ok ? '' : noLabels.message).toContain('alerts.0.labels');
  });
});
