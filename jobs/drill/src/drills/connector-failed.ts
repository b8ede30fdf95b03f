import type { Drill, Step } from '../domain/drill.js';
import { eventually } from '../domain/eventually.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { Canaries, alertActive, alertCleared, command, stackUp, systemHealthy } from './steps.js';

const connectorsApply = ['npx', '--no-install', 'tsx', 'connectors/src/cli.ts', 'apply'];

/**
 * The CDC account's password is rotated in MariaDB without telling Connect; the next task restart fails
 * with "Access denied" and the task stays FAILED. The operator re-syncs the password from
 * .stack/secrets.env (`npm run stack:up -- mariadb`) and `npm run connectors -- apply` restarts the task,
 * which resumes from its binlog position. (Connect validates a config on PUT, so a wrong password in the
 * config itself is refused before it can fail a task.)
 */
export function connectorFailed(): Drill<DrillWorld> {
  const canaries = new Canaries();
  const rotate: Step<DrillWorld> = {
    kind: 'inject',
    text: "the CDC account's password changes in MariaDB (a rotation Connect was not told about)",
    run: (world) => world.shop.rotateCdcPassword(),
  };
  const restart: Step<DrillWorld> = {
    kind: 'inject',
    text: 'the connector restarts (as after a worker restart or a rebalance)',
    run: async (world) => {
      await world.connect.restart();
      return `POST /connectors/${world.connect.connectorName}/restart?includeTasks=true`;
    },
  };
  const taskFailed: Step<DrillWorld> = {
    kind: 'symptom',
    text: 'the task is FAILED, with the reason in its trace (npm run connectors -- status)',
    run: (world) =>
      eventually(
        'task FAILED',
        async () => {
          const state = await world.connect.state();
          return { ok: state.tasks.includes('FAILED'), seen: `connector ${state.connector}, tasks ${state.tasks.join(',') || 'none'}${state.trace === undefined ? '' : `: ${state.trace.slice(0, 200)}`}` };
        },
        { timeoutMs: 120_000 },
        world.time,
      ),
  };
  return {
    name: 'connector-failed',
    incident: 'A FAILED connector',
    runbook: '#connector-failed',
    steps: [
      systemHealthy,
      rotate,
      restart,
      taskFailed,
      alertActive('KafkaConnectTasksNotRunning'),
      canaries.write('automatic'),
      stackUp('mariadb'),
      command('operator', 'npm run connectors -- apply (restarts the failed task, waits until it runs)', connectorsApply, 200_000),
      alertCleared('KafkaConnectTasksNotRunning'),
      canaries.arrived('every change made while the task was FAILED arrives once (it resumed from its binlog position)'),
    ],
    restore: async (world) => {
      for (const args of [['bash', 'infra/local/stack.sh', 'up', 'mariadb'], connectorsApply]) {
        const result = await world.run(args, { timeoutMs: 200_000 });
        if (result.code !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr.slice(-300)}`);
      }
      await restoreSystem(world);
    },
  };
}
