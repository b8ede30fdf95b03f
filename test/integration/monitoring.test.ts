import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createProcessorMetrics, repoRoot } from '@streamrec/shared';

const run = promisify(execFile);
const prometheusDir = join(repoRoot, 'monitoring', 'prometheus');

// promtool comes with the Debian prometheus package that `npm run setup` installs.
describe('monitoring/prometheus', () => {
  it('is a valid Prometheus config whose rule files load', async () => {
    const { stdout } = await run('promtool', ['check', 'config', join(prometheusDir, 'prometheus.yml')]);
    expect(stdout).toContain('SUCCESS');
  });

  it('fires each stream alert exactly as its unit tests expect', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', join(prometheusDir, 'tests', 'streams.test.yml')]);
    expect(stdout).toContain('SUCCESS');
  });

  it('only uses metric names the stream processors export', async () => {
    const rules = await readFile(join(prometheusDir, 'rules', 'streams.yml'), 'utf8');
    const used = new Set([...rules.matchAll(/(?<![:\w])(stream_[a-z_]+?)(?:_bucket|_sum|_count)?\b/g)].map((match) => match[1]));
    const exported = new Set((await createProcessorMetrics('monitoring-test').registry.getMetricsAsJSON()).map((metric) => metric.name));
    expect(used.size).toBeGreaterThan(3);
    for (const name of used) expect(exported, `${name} is not exported by createProcessorMetrics`).toContain(name);
  });
});
