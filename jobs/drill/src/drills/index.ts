import type { Drill } from '../domain/drill.js';
import type { DrillWorld } from '../domain/world.js';
import { backfill } from './backfill.js';
import { badExperiments } from './bad-experiments.js';
import { badModel } from './bad-model.js';
import { binlogPurged } from './binlog-purged.js';
import { clickhouseDown } from './clickhouse-down.js';
import { connectDown } from './connect-down.js';
import { connectorFailed } from './connector-failed.js';
import { dlqFilling } from './dlq-filling.js';
import { kafkaDown } from './kafka-down.js';
import { lagGrowing } from './lag-growing.js';
import { redisDown } from './redis-down.js';

export { restoreExperimentsFile } from './bad-experiments.js';

/** Every drill, in the runbook's order; each call builds a fresh run (its own canaries and versions). */
export const DRILLS: Readonly<Record<string, () => Drill<DrillWorld>>> = {
  'redis-down': redisDown,
  'kafka-down': kafkaDown,
  'connect-down': connectDown,
  'connector-failed': connectorFailed,
  'binlog-purged': binlogPurged,
  'clickhouse-down': clickhouseDown,
  'bad-model': badModel,
  'bad-experiments': badExperiments,
  'lag-growing': lagGrowing,
  'dlq-filling': dlqFilling,
  backfill,
};

export const DRILL_NAMES = Object.keys(DRILLS);
