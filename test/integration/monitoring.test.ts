import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createProcessorMetrics } from '@streamrec/foundation/metrics';
import { repoRoot } from '@streamrec/foundation/process';
import { createApiMetrics } from '@streamrec/api/app';

const run = promisify(execFile);
const prometheusDir = join(repoRoot, 'monitoring', 'prometheus');
const dashboardFile = join(repoRoot, 'monitoring', 'grafana', 'streams.json');
const apiDashboardFile = join(repoRoot, 'monitoring', 'grafana', 'api.json');
/** Names the API exports (services/api/src/metrics.ts) and Node's process metrics; quoted label values are skipped. */
const apiMetricPattern = /(?<![:\w"])((?:http|recommendation|ranker|exposures|beacon|experiments|popular_snapshot|catalogue|content_index|process)_[a-z_]+?)(?:_bucket|_sum|_count)?\b/g;

// promtool comes with the Debian prometheus package that `npm run setup` installs.
describe('monitoring', () => {
  it('is a valid Prometheus config whose rule files load', async () => {
    const { stdout } = await run('promtool', ['check', 'config', join(prometheusDir, 'prometheus.yml')]);
    expect(stdout).toContain('SUCCESS');
  });

  it('fires each stream alert exactly as its unit tests expect', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', join(prometheusDir, 'tests', 'streams.test.yml')]);
    expect(stdout).toContain('SUCCESS');
  });

  it('fires each API alert exactly as its unit tests expect', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', join(prometheusDir, 'tests', 'api.test.yml')]);
    expect(stdout).toContain('SUCCESS');
  });

  it.each(['streams.yml', 'api.yml'])('evaluates every recorded series before the rules of %s that read it (same group, earlier)', async (file) => {
    // Groups are evaluated in no fixed order: a rule reading another group's recorded series sees the
    // previous evaluation's value in some runs and the current one in others (a flaky alert test).
    const { groups } = parse(await readFile(join(prometheusDir, 'rules', file), 'utf8')) as { groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[] };
    const recordedIn = new Map(groups.flatMap((group) => group.rules.flatMap((rule, index) => (rule.record === undefined ? [] : [[rule.record, { group: group.name, index }] as const]))));
    expect(recordedIn.size).toBeGreaterThan(0);
    let reads = 0;
    for (const group of groups) {
      group.rules.forEach((rule, index) => {
        for (const [series, where] of recordedIn) {
          if (!new RegExp(`(?<![\\w:])${series.replaceAll(':', '\\:')}(?![\\w:])`).test(rule.expr)) continue;
          reads += 1;
          expect(`${rule.alert ?? rule.record} in ${group.name}`).toBe(`${rule.alert ?? rule.record} in ${where.group}`);
          expect(where.index, `${series} must be recorded before ${rule.alert ?? rule.record}`).toBeLessThan(index);
        }
      });
    }
    expect(reads).toBeGreaterThan(0);
  });

  it('only uses metric names the API exports, in its alerts and its dashboard', async () => {
    const exported = new Set((await createApiMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name));
    // Only the queries: the annotations name degradation reasons (catalogue_loading…) that look like metrics.
    const rules = parse(await readFile(join(prometheusDir, 'rules', 'api.yml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
    const dashboard = JSON.parse(await readFile(apiDashboardFile, 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const sources = {
      'rules/api.yml': rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
      'grafana/api.json': dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
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

  it.each([
    ['streams', dashboardFile],
    ['api', apiDashboardFile],
  ])('has a %s Grafana dashboard whose every query is valid PromQL', async (_name, file) => {
    const dashboard = JSON.parse(await readFile(file, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    // The dashboards' template variables ($processor, $instance) become a match-all regex.
    const queries = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr.replaceAll(/\$(?:processor|instance)\b/g, '.*')));
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
});
