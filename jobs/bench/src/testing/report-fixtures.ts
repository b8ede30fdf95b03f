// Test support only: a merged report's inputs built from the sub-bench fixtures.
import type { MachineFacts, PhaseOutcome } from '../domain/merge.js';
import { effectiveSettings } from '../domain/plan.js';
import { loadFixture } from './load-fixture.js';

export const machine: MachineFacts = {
  cpus: 2,
  model: 'AMD EPYC',
  memoryGiB: 23.5,
  node: 'v20.20.2',
  platform: 'linux-x64',
  loadAverageBefore: [5.46, 4.15, 3.92],
  loadAverageAfter: [4.1, 4.0, 3.9],
  git: { commit: '9ddae866f4dbf8acce31d2e782135215c1a8a519', dirty: false, changedFiles: 0, untrackedFiles: 2 },
};

export const settings = effectiveSettings({ outDir: '/tmp/out', quick: true, areas: ['streams', 'freshness', 'api'], runs: undefined, events: undefined, freshnessSamples: undefined, apiRate: undefined, apiDuration: undefined });

export function outcomes(): PhaseOutcome[] {
  const ok = (area: PhaseOutcome['area'], rawFile: string, json: unknown, seconds: number): PhaseOutcome => ({ area, rawFile, seconds, exitCode: 0, failure: null, json, clientsLeftOut: null });
  return [ok('streams', 'streams.json', loadFixture('streams.quick'), 29), ok('freshness', 'freshness.json', loadFixture('freshness.quick'), 18), ok('api', 'api.json', loadFixture('api.quick'), 63.5)];
}
