import type { Drill } from '../domain/drill.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { Canaries, alertActive, alertCleared, answers, caughtUp, stackDown, stackUp, systemHealthy } from './steps.js';

/** ClickHouse goes away: serving is unaffected; the sink retries and then writes what it held back, once. */
export function clickhouseDown(): Drill<DrillWorld> {
  const canaries = new Canaries();
  return {
    name: 'clickhouse-down',
    incident: 'ClickHouse down',
    runbook: '#clickhouse-down',
    steps: [
      systemHealthy,
      stackDown('clickhouse'),
      alertActive('ClickHouseDown'),
      answers('automatic', { degraded: false }),
      canaries.write('automatic'),
      stackUp('clickhouse'),
      alertCleared('ClickHouseDown'),
      canaries.arrived('every change of the outage is in ClickHouse exactly once (the sink skips what it already wrote)'),
      caughtUp,
    ],
    restore: restoreSystem,
  };
}
