import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { AlertLine } from './domain/alertmanager-webhook.js';

/** What the alert webhook serves on /metrics (monitoring/grafana/stack.json, rules/monitoring.yml). */
export interface WebhookMetrics {
  readonly registry: Registry;
  received(receiver: string, status: string, lines: readonly AlertLine[], atMs: number): void;
  rejected(reason: 'invalid_json' | 'invalid_payload' | 'too_large' | 'write_failed'): void;
}

export function createWebhookMetrics(): WebhookMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const notifications = new Counter({ name: 'alert_webhook_notifications_total', help: 'Alertmanager notifications received and written, by receiver and group status', labelNames: ['receiver', 'status'], registers });
  const alerts = new Counter({ name: 'alert_webhook_alerts_total', help: 'Alerts written to alerts.ndjson, by receiver, alert status and severity', labelNames: ['receiver', 'status', 'severity'], registers });
  const rejected = new Counter({ name: 'alert_webhook_rejected_total', help: 'Requests refused (invalid_json, invalid_payload, too_large) or not written (write_failed)', labelNames: ['reason'], registers });
  const last = new Gauge({ name: 'alert_webhook_last_notification_timestamp_seconds', help: 'When the last notification was written (Unix time)', registers });
  for (const reason of ['invalid_json', 'invalid_payload', 'too_large', 'write_failed']) rejected.inc({ reason }, 0);
  return {
    registry,
    received(receiver, status, lines, atMs) {
      notifications.inc({ receiver, status });
      for (const line of lines) alerts.inc({ receiver, status: line.status, severity: line.severity });
      last.set(atMs / 1000);
    },
    rejected: (reason) => rejected.inc({ reason }),
  };
}
