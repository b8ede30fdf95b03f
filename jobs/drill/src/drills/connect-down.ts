import type { Drill } from '../domain/drill.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { Canaries, alertActive, alertCleared, answers, stackDown, stackUp, systemHealthy } from './steps.js';

/** Kafka Connect goes away: changes wait in the binlog; Debezium resumes from its stored position. */
export function connectDown(): Drill<DrillWorld> {
  const canaries = new Canaries();
  return {
    name: 'connect-down',
    incident: 'Kafka Connect down',
    runbook: '#connect-down',
    steps: [
      systemHealthy,
      stackDown('connect'),
      alertActive('KafkaConnectDown'),
      answers('automatic', { degraded: false }),
      canaries.write('automatic'),
      stackUp('connect'),
      alertCleared('KafkaConnectDown'),
      canaries.arrived('every change written while Connect was down arrives once (Debezium resumed from its binlog position)'),
    ],
    restore: restoreSystem,
  };
}
