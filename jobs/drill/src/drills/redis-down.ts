import type { Drill } from '../domain/drill.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { Canaries, alertActive, alertCleared, answers, caughtUp, stackDown, stackUp, systemHealthy } from './steps.js';

/** Redis (the online state) goes away: the API degrades to cached and popular answers, the processors wait, nothing is lost. */
export function redisDown(): Drill<DrillWorld> {
  const canaries = new Canaries();
  return {
    name: 'redis-down',
    incident: 'Redis down',
    runbook: '#redis-down',
    steps: [
      systemHealthy,
      stackDown('redis'),
      alertActive('RedisDown'),
      answers('symptom', { degraded: true, reason: /redis|fallback|cached/ }),
      canaries.write('automatic'),
      stackUp('redis'),
      alertCleared('RedisDown'),
      answers('recovery', { degraded: false }),
      canaries.arrived(),
      caughtUp,
    ],
    restore: restoreSystem,
  };
}
