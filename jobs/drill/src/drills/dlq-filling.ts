import type { Drill, Step } from '../domain/drill.js';
import { eventually } from '../domain/eventually.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { Canaries, alertActive, caughtUp, systemHealthy } from './steps.js';

const SOURCE = 'cdc.shop.favorites';
const DLQ = 'dlq.normalize';
const POISON = 20;

/** Records nobody can read arrive: each goes to the dead-letter topic with its reason, and the pipeline keeps going. */
export function dlqFilling(): Drill<DrillWorld> {
  const canaries = new Canaries();
  const marker = `drill-poison-${Date.now().toString(36)}`;
  let before: ReadonlyMap<number, bigint> = new Map();
  const inject: Step<DrillWorld> = {
    kind: 'inject',
    text: `${POISON} records that are not Debezium envelopes land on ${SOURCE}`,
    run: async (world) => {
      before = await world.kafka.ends(DLQ);
      await world.kafka.produceRaw(
        SOURCE,
        Array.from({ length: POISON }, (_, index) => ({ key: `{"id":${index}}`, value: `{"${marker}":${index}}` })),
      );
      return `${POISON} records with marker ${marker}`;
    },
  };
  const deadLettered: Step<DrillWorld> = {
    kind: 'symptom',
    text: `each one is in ${DLQ} with a code, a reason and its original bytes`,
    run: (world) =>
      eventually(
        'dead letters',
        async () => {
          const letters = (await world.kafka.readSince(DLQ, before)).map((text) => JSON.parse(text) as { code?: string; reason?: string; value?: { data?: string } });
          const ours = letters.filter((letter) => letter.value?.data?.includes(marker) === true);
          const complete = ours.filter((letter) => (letter.code ?? '') !== '' && (letter.reason ?? '') !== '');
          const example = complete[0];
          return { ok: complete.length === POISON, seen: `${complete.length}/${POISON} dead-lettered${example === undefined ? '' : `, e.g. ${example.code}: ${example.reason?.slice(0, 120)}`}` };
        },
        { timeoutMs: 120_000 },
        world.time,
      ),
  };
  const inspect: Step<DrillWorld> = {
    kind: 'operator',
    text: `read them: npm run topics -- tail ${DLQ} -n 5`,
    run: async (world) => {
      const result = await world.run(['npx', '--no-install', 'tsx', 'infra/topics/src/cli.ts', 'tail', DLQ, '-n', '5'], { timeoutMs: 120_000 });
      if (result.code !== 0 || !result.stdout.includes(marker)) throw new Error(`the tail does not show the poison records (exit ${result.code}): ${result.stderr.slice(-200)}`);
      return 'the tail shows the records, their codes and reasons';
    },
  };
  return {
    name: 'dlq-filling',
    incident: 'Dead letters filling',
    runbook: '#dlq-filling',
    steps: [systemHealthy, inject, deadLettered, alertActive('StreamDeadLetters', { processor: 'normalize' }), canaries.write('automatic'), canaries.arrived('the pipeline keeps going: changes after the poison arrive'), inspect, caughtUp],
    restore: restoreSystem,
  };
}
