import type { Drill, Step } from '../domain/drill.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { Canaries, alertActive, alertCleared, answers, caughtUp, command, systemHealthy } from './steps.js';

/** A processor stops (or cannot keep up): its lag grows, the others go on; starting it again catches up from its stored offsets. */
export function lagGrowing(): Drill<DrillWorld> {
  const canaries = new Canaries();
  const stopFeatures: Step<DrillWorld> = {
    kind: 'inject',
    text: 'the features processor stops',
    run: async (world) => {
      await world.processes.stop('streams-features');
      return 'streams-features stopped';
    },
  };
  return {
    name: 'lag-growing',
    incident: 'Lag growing',
    runbook: '#lag-growing',
    steps: [
      systemHealthy,
      stopFeatures,
      alertActive('StreamProcessorDown', { component: 'features' }),
      canaries.write('automatic', 5),
      canaries.arrived('the other processors go on: the changes reach ClickHouse meanwhile'),
      answers('automatic', { degraded: false }),
      command('operator', 'npm run up (starts what is not running, waits until caught up)', ['bash', 'infra/local/system.sh', 'up'], 600_000),
      alertCleared('StreamProcessorDown', { component: 'features' }),
      caughtUp,
    ],
    restore: restoreSystem,
  };
}
