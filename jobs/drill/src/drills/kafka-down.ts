import type { Drill } from '../domain/drill.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { Canaries, alertActive, alertCleared, answers, caughtUp, command, stackDown, stackUp, systemHealthy } from './steps.js';

/** The broker goes away: the API keeps answering from Redis, Debezium and the processors wait; after the restart nothing is lost. */
export function kafkaDown(): Drill<DrillWorld> {
  const canaries = new Canaries();
  return {
    name: 'kafka-down',
    incident: 'Kafka broker down',
    runbook: '#kafka-down',
    steps: [
      systemHealthy,
      stackDown('kafka'),
      alertActive('KafkaBrokerDown'),
      answers('automatic', { degraded: false }),
      canaries.write('automatic'),
      stackUp('kafka'),
      alertCleared('KafkaBrokerDown'),
      command('recovery', 'the CDC connector runs (npm run connectors -- apply restarts a task that gave up)', ['npx', '--no-install', 'tsx', 'connectors/src/cli.ts', 'apply'], 200_000),
      canaries.arrived(),
      caughtUp,
    ],
    restore: restoreSystem,
  };
}
