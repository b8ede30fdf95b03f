import { z } from 'zod';

/**
 * Alertmanager's webhook payload (version 4, the only one Alertmanager sends): one notification of a
 * route's group, carrying every alert of the group at that moment, firing and (with send_resolved)
 * resolved. https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
const labelSet = z.record(z.string(), z.string());

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: z.string(),
  endsAt: z.string(),
  generatorURL: z.string().default(''),
  fingerprint: z.string().default(''),
});

export const notificationSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().min(1),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(alertSchema),
});
export type Notification = z.infer<typeof notificationSchema>;

/** One line of alerts.ndjson: one alert of one notification, with where and when it arrived. */
export interface AlertLine {
  readonly receivedAt: string;
  readonly receiver: string;
  readonly groupKey: string;
  readonly status: 'firing' | 'resolved';
  readonly alertname: string;
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly fingerprint: string;
  readonly generatorURL: string;
}

export type ParsedNotification = { readonly ok: true; readonly notification: Notification } | { readonly ok: false; readonly reason: 'invalid_json' | 'invalid_payload'; readonly message: string };

export function parseNotification(body: string): ParsedNotification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: 'invalid_json', message: error instanceof Error ? error.message : String(error) };
  }
  const result = notificationSchema.safeParse(json);
  if (!result.success) {
    return { ok: false, reason: 'invalid_payload', message: result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ') };
  }
  return { ok: true, notification: result.data };
}

export function alertLines(notification: Notification, receivedAt: Date): AlertLine[] {
  return notification.alerts.map((alert) => ({
    receivedAt: receivedAt.toISOString(),
    receiver: notification.receiver,
    groupKey: notification.groupKey,
    status: alert.status,
    alertname: alert.labels['alertname'] ?? '',
    severity: alert.labels['severity'] ?? '',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    fingerprint: alert.fingerprint,
    generatorURL: alert.generatorURL,
  }));
}

/** The lines as NDJSON, ready for one append (so two notifications never interleave within a line). */
export function toNdjson(lines: readonly AlertLine[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}
