/**
 * Integration (needs the local stack with its monitoring: `npm run stack:up`). The monitoring's files
 * checked with the Debian tools (promtool, amtool) and against what runs: the rules' unit tests, the
 * Alertmanager routes, every dashboard query parsed as PromQL, and every metric name a rule or a panel
 * reads exported by something — the processors', the API's and the jobs' registries, and the running
 * exporters (JMX agents, Redis exporter, stack exporter, webhook, Prometheus, Alertmanager).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createProcessorMetrics } from '@streamrec/foundation/metrics';
import { repoRoot } from '@streamrec/foundation/process';
import { createApiMetrics } from '@streamrec/api/app';
import { binlogFamilies, clickHouseFamilies, promqlMetricNames, renderExposition } from '@streamrec/exporters';
import { createWebhookMetrics } from '@streamrec/exporters/app';
import { stackEnv } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);
const prometheusDir = join(repoRoot, 'monitoring', 'prometheus');
const grafanaDir = join(repoRoot, 'monitoring', 'grafana');
const alertmanagerFile = join(repoRoot, 'monitoring', 'alertmanager', 'alertmanager.yml');
const dashboardFile = join(grafanaDir, 'streams.json');
/** Names the API exports (services/api/src/metrics.ts) and Node's process metrics; quoted label values are skipped. */
const apiMetricPattern = /(?<![:\w"])((?:http|recommendation|ranker|exposures|beacon|experiments|popular_snapshot|catalogue|content_index|process)_[a-z_]+?)(?:_bucket|_sum|_count)?\b/g;

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}
interface Dashboard {
  panels: { title: string; type: string; targets?: { expr: string }[] }[];
}

const ruleFiles = (await readdir(join(prometheusDir, 'rules'))).filter((file) => file.endsWith('.yml')).sort();
const ruleTests = (await readdir(join(prometheusDir, 'tests'))).filter((file) => file.endsWith('.test.yml')).sort();
const dashboards = (await readdir(grafanaDir)).filter((file) => file.endsWith('.json')).sort();
const readRules = async (file: string): Promise<RuleFile> => parse(await readFile(join(prometheusDir, 'rules', file), 'utf8')) as RuleFile;
const readDashboard = async (file: string): Promise<Dashboard> => JSON.parse(await readFile(join(grafanaDir, file), 'utf8')) as Dashboard;
const panelQueries = (dashboard: Dashboard): string[] => dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

const host = stackEnv['STREAMREC_HOST'] ?? '127.0.0.1';
const port = (key: string, fallback: string): string => stackEnv[key] ?? fallback;

/** Sample and family names of an exposition (histograms and summaries with their suffixes). */
function expositionNames(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\w+)/.exec(line);
    if (type?.[1] !== undefined) {
      names.add(type[1]);
      if (type[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${type[1]}${suffix}`);
      if (type[2] === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${type[1]}${suffix}`);
      continue;
    }
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]/.exec(line);
    if (sample?.[1] !== undefined) names.add(sample[1]);
  }
  return [...names];
}

const registryNames = async (registry: Registry): Promise<string[]> => expositionNames(await registry.metrics());
/** Gauges written as `name: '<prefix>_…'` in a job's source (jobs/retrain and jobs/dq export no registry). */
const sourceNames = async (path: string, prefix: string): Promise<string[]> => [...(await readFile(join(repoRoot, path), 'utf8')).matchAll(new RegExp(`name: '(${prefix}_[a-z_]+)'`, 'g'))].map((match) => match[1] ?? '');

/** Everything something exports: registries in the code, and the running exporters' /metrics. */
async function exportedNames(): Promise<Set<string>> {
  const names = new Set<string>(['up', 'ALERTS', 'ALERTS_FOR_STATE', 'scrape_duration_seconds', 'scrape_samples_scraped']);
  const add = (list: readonly string[]): void => list.forEach((name) => names.add(name));
  add(await registryNames(createProcessorMetrics('monitoring-test').registry));
  add(await registryNames(createApiMetrics().registry));
  add(await registryNames(createWebhookMetrics().registry));
  add(await sourceNames('jobs/retrain/src/adapters/retrain-metrics.ts', 'retrain'));
  add(await sourceNames('jobs/dq/src/domain/prometheus-text.ts', 'dq'));
  add(await sourceNames('jobs/experiments/src/domain/prometheus-families.ts', 'experiment'));
  // The stack exporter's families, each with a sample (a live scrape lacks those a state leaves out,
  // e.g. the event time before a restarted connector's first event).
  const offset = { connector: 'c', file: 'binlog.000002', position: 4, eventTimestampSeconds: 1, serverId: 1, readAtMs: 1 };
  const server = { serverId: 1, logs: [{ name: 'binlog.000002', sizeBytes: 9 }], current: { file: 'binlog.000002', position: 9 }, expireLogsSeconds: 1, commits: 1, bytesWritten: 1 };
  add(expositionNames(renderExposition(binlogFamilies({ mariadb: server, offsets: [offset], offsetsFresh: true }))));
  add(expositionNames(renderExposition(clickHouseFamilies('streamrec', { metrics: [], events: [], asyncMetrics: [], tables: [{ table: 't', engine: 'MergeTree', parts: 1, rows: 1, bytes: 1, modifiedSeconds: 1 }] }))));
  const exporter = `http://${host}:${port('STREAMREC_STACK_EXPORTER_PORT', '19108')}`;
  const scrapes = [
    `http://${host}:${port('STREAMREC_KAFKA_JMX_PORT', '19111')}/metrics`,
    `http://${host}:${port('STREAMREC_CONNECT_JMX_PORT', '19112')}/metrics`,
    `http://${host}:${port('STREAMREC_REDIS_EXPORTER_PORT', '19121')}/metrics`,
    `${exporter}/metrics`,
    `${exporter}/metrics/clickhouse`,
    `${exporter}/metrics/binlog`,
    `http://${host}:${port('STREAMREC_ALERT_WEBHOOK_PORT', '19095')}/metrics`,
    `http://${host}:${port('STREAMREC_PROMETHEUS_PORT', '19090')}/metrics`,
    `http://${host}:${port('STREAMREC_ALERTMANAGER_PORT', '19094')}/metrics`,
  ];
  // The Debezium and task series exist once the connector's task streams (after a Connect restart too).
  const connect = await waitFor(
    async () => {
      const text = await (await fetch(scrapes[1] ?? '')).text();
      return text.includes('debezium_metrics_connected{context="streaming"') && text.includes('kafka_connect_worker_connector_total_task_count') ? text : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 1_000, description: 'the Connect worker\'s JMX agent to export the connector and Debezium metrics' },
  );
  add(expositionNames(connect));
  for (const url of scrapes) {
    const response = await fetch(url);
    expect(response.ok, `${url} (npm run stack:up starts every exporter)`).toBe(true);
    add(expositionNames(await response.text()));
  }
  return names;
}

// promtool and amtool come with the Debian packages prometheus and prometheus-alertmanager (infra/local/install.sh).
describe('monitoring (needs the local stack: npm run stack:up)', () => {
  it('is a valid Prometheus config whose rule files load', async () => {
    const { stdout } = await run('promtool', ['check', 'config', join(prometheusDir, 'prometheus.yml')]);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
  });

  it.each(ruleTests)('fires every alert of %s exactly as its promtool unit tests expect', async (file) => {
    const { stdout } = await run('promtool', ['test', 'rules', join(prometheusDir, 'tests', file)]);
    expect(stdout).toContain('SUCCESS');
  });

  it('has a promtool unit test for every alert', async () => {
    const tested = new Set<string>();
    for (const file of ruleTests) for (const match of (await readFile(join(prometheusDir, 'tests', file), 'utf8')).matchAll(/alertname: (\w+)/g)) tested.add(match[1] ?? '');
    const alerts = (await Promise.all(ruleFiles.map(readRules))).flatMap((rules) => rules.groups.flatMap((group) => group.rules.flatMap((rule) => (rule.alert === undefined ? [] : [rule.alert]))));
    expect(alerts.length).toBeGreaterThan(40);
    expect(alerts.filter((alert) => !tested.has(alert))).toEqual([]);
  });

  it.each(ruleFiles)('evaluates every recorded series before the rules of %s that read it (same group, earlier)', async (file) => {
    // Groups are evaluated in no fixed order: a rule reading another group's recorded series sees the
    // previous evaluation's value in some runs and the current one in others (a flaky alert test).
    const all = await Promise.all(ruleFiles.map(readRules));
    const recordedIn = new Map(all.flatMap((rules) => rules.groups.flatMap((group) => group.rules.flatMap((rule, index) => (rule.record === undefined ? [] : [[rule.record, { group: group.name, index }] as const])))));
    const { groups } = await readRules(file);
    expect(groups).toHaveLength(1);
    for (const group of groups) {
      group.rules.forEach((rule, index) => {
        for (const series of promqlMetricNames(rule.expr).filter((name) => recordedIn.has(name))) {
          const where = recordedIn.get(series);
          expect(`${rule.alert ?? rule.record} reads ${series} of ${where?.group}`).toBe(`${rule.alert ?? rule.record} reads ${series} of ${group.name}`);
          expect(where?.index, `${series} must be recorded before ${rule.alert ?? rule.record}`).toBeLessThan(index);
        }
      });
    }
  });

  it('routes page and ticket alerts to their receivers, everything else to the default one', async () => {
    const { stdout } = await run('amtool', ['check-config', alertmanagerFile]);
    expect(stdout).toContain('SUCCESS');
    const receiver = async (...labels: string[]): Promise<string> => (await run('amtool', ['config', 'routes', 'test', `--config.file=${alertmanagerFile}`, ...labels])).stdout.trim();
    expect(await receiver('alertname=KafkaConnectDown', 'severity=page')).toBe('page');
    expect(await receiver('alertname=ModelStale', 'severity=ticket', 'model=ranker')).toBe('ticket');
    expect(await receiver('alertname=Unlabelled')).toBe('default');
  });

  it('only uses metric names the API exports, in its alerts and its dashboard', async () => {
    const exported = new Set((await createApiMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name));
    // Only the queries: the annotations name degradation reasons (catalogue_loading…) that look like metrics.
    const sources = {
      'rules/api.yml': (await readRules('api.yml')).groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
      'grafana/api.json': panelQueries(await readDashboard('api.json')),
    };
    for (const [file, queries] of Object.entries(sources)) {
      const used = new Set(queries.flatMap((query) => [...query.matchAll(apiMetricPattern)].map((match) => match[1])));
      expect(used.size, file).toBeGreaterThan(5);
      for (const name of used) expect(exported, `${name} (${file}) is not exported by createApiMetrics`).toContain(name);
    }
  });

  it('only uses metric names the stream processors export, in the alerts and the dashboard', async () => {
    const exported = new Set((await createProcessorMetrics('monitoring-test').registry.getMetricsAsJSON()).map((metric) => metric.name));
    for (const file of [join(prometheusDir, 'rules', 'streams.yml'), dashboardFile]) {
      const text = await readFile(file, 'utf8');
      const used = new Set([...text.matchAll(/(?<![:\w])((?:stream|process)_[a-z_]+?)(?:_bucket|_sum|_count)?\b/g)].map((match) => match[1]));
      expect(used.size, file).toBeGreaterThan(3);
      for (const name of used) expect(exported, `${name} (${file}) is not exported by createProcessorMetrics`).toContain(name);
    }
  });

  it('reads in every rule and every dashboard only series that something exports or a rule records', { timeout: 180_000 }, async () => {
    const exported = await exportedNames();
    const rules = await Promise.all(ruleFiles.map(async (file) => [file, await readRules(file)] as const));
    for (const [, file] of rules) for (const group of file.groups) for (const rule of group.rules) if (rule.record !== undefined) exported.add(rule.record);
    const sources: [string, string[]][] = [
      ...rules.map(([file, content]): [string, string[]] => [`rules/${file}`, content.groups.flatMap((group) => group.rules.map((rule) => rule.expr))]),
      ...(await Promise.all(dashboards.map(async (file): Promise<[string, string[]]> => [`grafana/${file}`, panelQueries(await readDashboard(file))]))),
    ];
    for (const [file, queries] of sources) {
      const used = new Set(queries.flatMap(promqlMetricNames));
      expect(used.size, file).toBeGreaterThan(2);
      for (const name of used) expect(exported.has(name), `${name} (${file}) is exported by nothing that runs and recorded by no rule`).toBe(true);
    }
  });

  it.each(dashboards)('has a Grafana dashboard %s whose every query is valid PromQL', async (file) => {
    // The dashboards' template variables ($processor, $suite…) become a match-all regex.
    const queries = panelQueries(await readDashboard(file)).map((expr) => expr.replaceAll(/\$\{?\w+\}?/g, '.*'));
    expect(queries.length).toBeGreaterThan(5);
    // promtool has no offline query check; a recording rule per query makes `check rules` parse each one.
    const dir = await mkdtemp(join(tmpdir(), 'streamrec-dashboard-'));
    try {
      const rules = queries.map((expr, index) => `      - record: dashboard:query_${index}\n        expr: ${JSON.stringify(expr)}`).join('\n');
      await writeFile(join(dir, 'queries.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules}\n`);
      const { stdout } = await run('promtool', ['check', 'rules', join(dir, 'queries.yml')]);
      expect(stdout).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('scrapes every component of the stack and its monitoring', { timeout: 120_000 }, async () => {
    const prometheus = `http://${host}:${port('STREAMREC_PROMETHEUS_PORT', '19090')}`;
    const jobs = ['kafka', 'connect', 'redis', 'clickhouse', 'binlog', 'stack-exporter', 'alert-webhook', 'alertmanager', 'prometheus'];
    // A component restarted by an earlier test can miss a scrape: wait until every job's last one succeeded.
    await waitFor(
      async () => {
        const body = (await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(`min by (job) (up{job=~"${jobs.join('|')}"})`)}`)).json()) as { data: { result: { metric: { job: string }; value: [number, string] }[] } };
        const up = new Map(body.data.result.map((sample) => [sample.metric.job, sample.value[1]]));
        return jobs.every((job) => up.get(job) === '1');
      },
      { timeoutMs: 90_000, intervalMs: 1_000, description: `up == 1 for ${jobs.join(', ')}` },
    );
    const source = await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent('sum(clickhouse_up) + sum(mariadb_binlog_up) + sum(cdc_connect_offsets_up)')}`)).json();
    expect(source).toMatchObject({ data: { result: [{ value: [expect.any(Number), '3'] }] } });
  });
});
