/**
 * Integration (needs the local stack with its monitoring: `npm run stack:up` starts prometheus, alertmanager
 * and alert-webhook): an alert goes from a rule through the running Prometheus and Alertmanager to the
 * alert webhook, which writes it to .stack/logs/alerts.ndjson, routed by its severity. The rules are a
 * test-only file in Prometheus' drop-in directory (.stack/conf/prometheus/rules.d), loaded by POST /-/reload
 * and removed afterwards; every name carries the run's id, so runs never share an Alertmanager group.
 * Waits on conditions only: the rule evaluates every second, Alertmanager waits group_wait (10 s for page,
 * 1 min for ticket) before the first notification.
 */
import { randomBytes } from 'node:crypto';
import { open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, stackEnv } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const host = stackEnv['STREAMREC_HOST'] ?? '127.0.0.1';
const prometheusUrl = `http://${host}:${stackEnv['STREAMREC_PROMETHEUS_PORT'] ?? '19090'}`;
const alertmanagerUrl = `http://${host}:${stackEnv['STREAMREC_ALERTMANAGER_PORT'] ?? '19094'}`;
const webhookUrl = `http://${host}:${stackEnv['STREAMREC_ALERT_WEBHOOK_PORT'] ?? '19095'}`;
const alertsFile = join(repoRoot, '.stack', 'logs', 'alerts.ndjson');
const rulesDir = join(repoRoot, '.stack', 'conf', 'prometheus', 'rules.d');

const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const ruleFile = join(rulesDir, `alerting-test-${run}.yml`);
const alertName = (severity: string): string => `StreamrecAlertingTest_${severity}_${run}`;

interface AlertLine {
  readonly receiver: string;
  readonly status: string;
  readonly alertname: string;
  readonly severity: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
}

async function reloadPrometheus(): Promise<void> {
  const response = await fetch(`${prometheusUrl}/-/reload`, { method: 'POST' });
  expect(response.status, 'POST /-/reload (Prometheus runs with --web.enable-lifecycle)').toBe(200);
}

/** The lines appended to alerts.ndjson since `from` (bytes). */
async function linesSince(from: number): Promise<AlertLine[]> {
  const handle = await open(alertsFile, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= from) return [];
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as AlertLine];
        } catch {
          return []; // a line still being appended
        }
      });
  } finally {
    await handle.close();
  }
}

let startOffset = 0;

beforeAll(async () => {
  for (const [name, url] of [
    ['prometheus', `${prometheusUrl}/-/ready`],
    ['alertmanager', `${alertmanagerUrl}/-/ready`],
    ['alert-webhook', `${webhookUrl}/healthz`],
  ] as const) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok !== true) throw new Error(`${name} is not running at ${url}: start the stack's monitoring with npm run stack:up`);
  }
  startOffset = await stat(alertsFile).then(
    (file) => file.size,
    () => 0,
  );
});

afterAll(async () => {
  await rm(ruleFile, { force: true });
  await reloadPrometheus();
});

describe('alerting (needs the local stack: npm run stack:up)', () => {
  it('delivers a firing rule through Prometheus and Alertmanager to the webhook, page and ticket each to their receiver', { timeout: 360_000 }, async () => {
    const rule = (severity: string): string => `      - alert: ${alertName(severity)}
        expr: vector(1)
        for: 0s
        labels: { severity: ${severity}, component: alerting-test, test_run: '${run}' }
        annotations:
          summary: 'alerting test ${run} (${severity})'`;
    await writeFile(ruleFile, `groups:\n  - name: alerting-test-${run}\n    interval: 1s\n    rules:\n${rule('page')}\n${rule('ticket')}\n`);
    await reloadPrometheus();

    // Prometheus evaluates the group and fires both (for: 0s).
    await waitFor(
      async () => {
        const body = (await (await fetch(`${prometheusUrl}/api/v1/alerts`)).json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
        return body.data.alerts.filter((alert) => alert.labels['test_run'] === run && alert.state === 'firing').length === 2;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: `both test alerts of run ${run} firing in Prometheus` },
    );

    // Alertmanager routes each by severity and the webhook writes it: page after its 10 s group_wait,
    // ticket after 1 min.
    const delivered = async (severity: string): Promise<AlertLine | undefined> =>
      (await linesSince(startOffset)).find((line) => line.alertname === alertName(severity) && line.status === 'firing');
    const page = await waitFor(() => delivered('page'), { timeoutMs: 120_000, intervalMs: 500, description: `${alertName('page')} in ${alertsFile}` });
    const ticket = await waitFor(() => delivered('ticket'), { timeoutMs: 240_000, intervalMs: 1_000, description: `${alertName('ticket')} in ${alertsFile}` });

    expect(page).toMatchObject({
      receiver: 'page',
      severity: 'page',
      labels: { alertname: alertName('page'), severity: 'page', component: 'alerting-test', test_run: run },
      annotations: { summary: `alerting test ${run} (page)` },
    });
    expect(ticket).toMatchObject({ receiver: 'ticket', severity: 'ticket', labels: { alertname: alertName('ticket'), test_run: run } });
    expect(Date.parse(page.startsAt)).toBeGreaterThan(0);
  });
});
