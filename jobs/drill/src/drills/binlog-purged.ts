import type { Drill, Step } from '../domain/drill.js';
import { eventually } from '../domain/eventually.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { Canaries, alertActive, alertCleared, caughtUp, command, stackDown, systemHealthy } from './steps.js';

/**
 * Connect is down longer than the binlog is kept: the position Debezium stored is purged. The exporter
 * (from the offsets it saved) raises CdcBinlogPositionPurged before anyone restarts Connect; the restarted
 * connector FAILS (it will not silently skip changes); `npm run connectors -- resnapshot` takes a new
 * snapshot, which brings the changes the binlog lost.
 */
export function binlogPurged(): Drill<DrillWorld> {
  const canaries = new Canaries();
  const purge: Step<DrillWorld> = { kind: 'inject', text: 'the binlog is purged past the connector position (FLUSH + PURGE BINARY LOGS)', run: (world) => world.shop.purgeBinlogs() };
  const startConnect: Step<DrillWorld> = command('operator', 'npm run stack:up -- connect (the usual restart)', ['bash', 'infra/local/stack.sh', 'up', 'connect'], 300_000);
  const failsLoudly: Step<DrillWorld> = {
    kind: 'symptom',
    text: 'the restarted connector FAILS instead of skipping the lost changes',
    run: (world) =>
      eventually(
        'connector task FAILED',
        async () => {
          const state = await world.connect.state();
          return { ok: state.tasks.includes('FAILED') || state.connector === 'FAILED', seen: `connector ${state.connector}, tasks ${state.tasks.join(',') || 'none'}${state.trace === undefined ? '' : `: ${state.trace.slice(0, 240)}`}` };
        },
        { timeoutMs: 180_000 },
        world.time,
      ),
  };
  return {
    name: 'binlog-purged',
    incident: 'Binlog purged before Debezium read it',
    runbook: '#binlog-purged',
    steps: [
      systemHealthy,
      stackDown('connect'),
      canaries.write('inject'),
      purge,
      alertActive('CdcBinlogPositionPurged'),
      startConnect,
      failsLoudly,
      command('operator', 'npm run connectors -- resnapshot cdc-mariadb', ['npx', '--no-install', 'tsx', 'connectors/src/cli.ts', 'resnapshot', 'cdc-mariadb', '--timeout', '900'], 960_000),
      alertCleared('CdcBinlogPositionPurged'),
      canaries.arrived('the changes the purged binlog held arrive through the new snapshot, once each'),
      caughtUp,
    ],
    restore: restoreSystem,
  };
}
