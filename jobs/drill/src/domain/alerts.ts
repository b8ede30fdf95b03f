/** Alerts as Prometheus's /api/v1/alerts lists them (pending while `for` runs, then firing). */
export interface ActiveAlert {
  readonly name: string;
  readonly state: 'pending' | 'firing';
  readonly labels: Readonly<Record<string, string>>;
}

/** The alerts of a /api/v1/alerts answer; anything that is not one is an error, not an empty list. */
export function parseAlerts(body: unknown): ActiveAlert[] {
  const data = (body as { status?: unknown; data?: { alerts?: unknown } } | null)?.data;
  if ((body as { status?: unknown } | null)?.status !== 'success' || !Array.isArray(data?.alerts)) {
    throw new Error(`not a Prometheus alerts answer: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return data.alerts.map((entry: unknown) => {
    const alert = entry as { labels?: Record<string, string>; state?: string };
    const labels = alert.labels ?? {};
    const name = labels['alertname'];
    if (name === undefined || (alert.state !== 'pending' && alert.state !== 'firing')) throw new Error(`not an active alert: ${JSON.stringify(entry).slice(0, 200)}`);
    return { name, state: alert.state, labels };
  });
}

/** The active alerts with that name whose labels include `labels`. */
export function matching(alerts: readonly ActiveAlert[], name: string, labels: Readonly<Record<string, string>> = {}): ActiveAlert[] {
  return alerts.filter((alert) => alert.name === name && Object.entries(labels).every(([key, value]) => alert.labels[key] === value));
}

/** "RedisDown (pending), StreamProcessorDown{component=features} (firing)" — for the report. */
export function describeAlerts(alerts: readonly ActiveAlert[]): string {
  if (alerts.length === 0) return 'no active alert';
  return alerts
    .map((alert) => {
      const extra = Object.entries(alert.labels).filter(([key]) => !['alertname', 'severity', 'job', 'instance', 'service'].includes(key));
      const labels = extra.length === 0 ? '' : `{${extra.map(([key, value]) => `${key}=${value}`).join(',')}}`;
      return `${alert.name}${labels} (${alert.state})`;
    })
    .join(', ');
}
