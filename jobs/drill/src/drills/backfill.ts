import type { Drill, Step } from '../domain/drill.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { caughtUp, command, lastLines, systemHealthy } from './steps.js';

/**
 * A backfill (docs/replay.md): rebuild every processor's state from the topics into a new state version
 * beside the live one and compare them key by key; a real backfill would then `switch` readers to it
 * (and keep the old version to switch back). The drill drops its version afterwards.
 */
const LIVE_PROCESSORS = ['streams-normalize', 'streams-features', 'streams-cooccurrence', 'streams-trending', 'streams-clickhouse-sink'];

export function backfill(): Drill<DrillWorld> {
  const version = `v${900_000 + (Math.floor(Date.now() / 1000) % 99_999)}`;
  let active = 'v1';
  const readActive: Step<DrillWorld> = {
    kind: 'check',
    text: 'the active state version (npm run replay -- status)',
    run: async (world) => {
      const result = await world.run(['npx', '--no-install', 'tsx', 'jobs/replay/src/cli.ts', 'status'], { timeoutMs: 120_000 });
      const found = /active version: (v\d+)/.exec(result.stdout);
      if (result.code !== 0 || found?.[1] === undefined) throw new Error(`npm run replay -- status: ${lastLines(result.stderr || result.stdout)}`);
      active = found[1];
      return `active ${active}`;
    },
  };
  const compare: Step<DrillWorld> = {
    kind: 'recovery',
    text: `the rebuilt version equals the live one (npm run replay -- compare)`,
    run: async (world) => {
      const result = await world.run(['npx', '--no-install', 'tsx', 'jobs/replay/src/cli.ts', 'compare', '--a', active, '--b', version], { timeoutMs: 600_000 });
      if (result.code !== 0) throw new Error(`compare ${active} ${version} exited ${result.code}: ${lastLines(result.stdout || result.stderr, 6)}`);
      return lastLines(result.stdout, 2);
    },
  };
  // Compared while the live writers run, the live version applies records the new one never saw (replay.md):
  // the operator stops them for the build and the comparison, then starts them again.
  const stopLive: Step<DrillWorld> = {
    kind: 'operator',
    text: 'stop the live processors so both versions see the same records',
    run: async (world) => {
      for (const name of LIVE_PROCESSORS) await world.processes.stop(name);
      return `${LIVE_PROCESSORS.join(', ')} stopped`;
    },
  };
  return {
    name: 'backfill',
    incident: 'A backfill',
    runbook: '#backfill',
    steps: [
      systemHealthy,
      caughtUp,
      readActive,
      stopLive,
      command('operator', `npm run replay -- build --to ${version} (every processor, from offset 0)`, ['npx', '--no-install', 'tsx', 'jobs/replay/src/cli.ts', 'build', '--to', version, '--processors', 'all', '--timeout', '1500'], 1_600_000),
      compare,
      command('operator', 'npm run up (the live processors resume at their stored offsets)', ['bash', 'infra/local/system.sh', 'up'], 600_000),
      caughtUp,
    ],
    restore: async (world) => {
      await world.run(['npx', '--no-install', 'tsx', 'jobs/replay/src/cli.ts', 'drop', '--version', version], { timeoutMs: 300_000 });
      await restoreSystem(world);
    },
  };
}
