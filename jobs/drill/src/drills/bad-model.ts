import type { Drill, Step } from '../domain/drill.js';
import { eventually } from '../domain/eventually.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { alertActive, command, systemHealthy } from './steps.js';

const MODEL = 'ranker';
const TOPIC = 'models.published.v1';

/**
 * Two bad publications: a broken one (the API refuses it and keeps the model it serves) and a valid but
 * meaningless one (random trees: the API serves it, as it would any model that passes its checks);
 * `npm run model -- rollback` puts the previous version back.
 */
export function badModel(): Drill<DrillWorld> {
  let serving: string | undefined;
  const randomVersion = `drill-random-${Date.now().toString(36)}`;
  const servesOne: Step<DrillWorld> = {
    kind: 'check',
    text: `the API serves a ${MODEL} model`,
    run: async (world) => {
      serving = (await world.api.servedModel(MODEL)).version;
      if (serving === undefined) throw new Error(`no ${MODEL} model is served (npm run model -- bootstrap, or wait for npm run retrain)`);
      return `serving ${serving}`;
    },
  };
  const stillServes = (kind: Step<DrillWorld>['kind'], text: string, version: () => string | undefined): Step<DrillWorld> => ({
    kind,
    text,
    run: (world) =>
      eventually(
        text,
        async () => {
          const status = await world.api.servedModel(MODEL);
          const answer = await world.api.recommend(await world.shop.activeUser());
          const wanted = version();
          return {
            ok: status.version === wanted && answer.modelVersion === wanted,
            seen: `status ${status.version ?? 'none'}, answers ranked by ${answer.modelVersion ?? 'no model'}${status.rejected.length === 0 ? '' : `; last rejected ${status.rejected.join(', ')}`}`,
          };
        },
        { timeoutMs: 120_000 },
        world.time,
      ),
  });
  const corrupt: Step<DrillWorld> = {
    kind: 'inject',
    text: `a corrupt record is published as ${MODEL} on ${TOPIC}`,
    run: async (world) => {
      await world.kafka.produceRaw(TOPIC, [{ key: MODEL, value: 'not an Avro model publication' }]);
      return 'one undecodable record';
    },
  };
  return {
    name: 'bad-model',
    incident: 'A bad model published',
    runbook: '#bad-model',
    steps: [
      systemHealthy,
      servesOne,
      corrupt,
      alertActive('ApiModelRejected'),
      stillServes('automatic', 'the API keeps serving the previous model', () => serving),
      command('inject', 'a valid but meaningless model is published (random trees)', ['npx', '--no-install', 'tsx', 'jobs/model/src/cli.ts', 'synthetic-trees', '--name', MODEL, '--trees', '20', '--depth', '4', '--seed', '7', '--version', randomVersion], 180_000),
      stillServes('symptom', 'answers are ranked by the new version (GET /admin/status, model.version of answers and exposures)', () => randomVersion),
      {
        kind: 'operator',
        text: 'npm run model -- rollback --name ranker --to <the previous version>',
        run: async (world) => {
          const result = await world.run(['npx', '--no-install', 'tsx', 'jobs/model/src/cli.ts', 'rollback', '--name', MODEL, '--to', serving ?? ''], { timeoutMs: 180_000 });
          if (result.code !== 0) throw new Error(`rollback exited ${result.code}: ${result.stderr.slice(-300)}`);
          return result.stdout.trim().split('\n').at(-1) ?? 'rolled back';
        },
      },
      stillServes('recovery', 'the previous version serves again', () => serving),
    ],
    restore: async (world) => {
      if (serving !== undefined && (await world.api.servedModel(MODEL).catch(() => undefined))?.version !== serving) {
        await world.run(['npx', '--no-install', 'tsx', 'jobs/model/src/cli.ts', 'rollback', '--name', MODEL, '--to', serving], { timeoutMs: 180_000 });
      }
      await restoreSystem(world);
    },
  };
}
