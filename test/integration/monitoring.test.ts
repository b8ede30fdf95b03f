import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createProcessorMetrics, repoRoot } from '@streamrec/shared';

const run = promisify(execFile);
const prometheusDir = join(repoRoot, 'monitoring', 'prometheus');
const dashboardFile = join(repoRoot, 'monitoring', 'grafana', 'streams.json');

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

  it('only uses metric names the stream processors export, in the alerts and the dashboard', async () => {
    const exported = new Set((await createProcessorMetrics('monitoring-test').registry.getMetricsAsJSON()).map((metric) => metric.name));
    for (const file of [join(prometheusDir, 'rules', 'streams.yml'), dashboardFile]) {
      const text = await readFile(file, 'utf8');
      const used = new Set([...text.matchAll(/(?<![:\w])((?:stream|process)_[a-z_]+?)(?:_bucket|_sum|_count)?\b/g)].map((match) => match[1]));
      expect(used.size, file).toBeGreaterThan(3);
      for (const name of used) expect(exported, `${name} (${file}) is not exported by createProcessorMetrics`).toContain(name);
    }
  });

  it('has a Grafana dashboard whose every query is valid PromQL', async () => {
    const dashboard = JSON.parse(await readFile(dashboardFile, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const queries = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr.replaceAll('$processor', '.*')));
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
