import type { Drill, Step } from '../domain/drill.js';
import { eventually } from '../domain/eventually.js';
import type { DrillWorld } from '../domain/world.js';
import { restoreSystem } from './restore.js';
import { alertActive, systemHealthy } from './steps.js';

const FILE = 'config/experiments.yaml';
/** A copy of the good file while the drill runs, so an interrupted drill can be undone (the next run restores it first). */
export const EXPERIMENTS_BACKUP = '.stack/drills/experiments.yaml.backup';

/** An edit of the experiments file breaks it (shares no longer sum to 100): the API refuses it and keeps serving the last good one. */
export function badExperiments(): Drill<DrillWorld> {
  let before: string | undefined;
  const reload = (kind: Step<DrillWorld>['kind'], text: string, expect: 'rejected' | 'accepted'): Step<DrillWorld> => ({
    kind,
    text,
    run: async (world) => {
      const result = await world.api.reloadExperiments();
      const ok = expect === 'rejected' ? result.status === 422 && result.code === 'REC_CONFIG_INVALID' : result.status === 200;
      const seen = `POST /admin/experiments/reload → ${result.status} ${result.code ?? ''} ${result.details}`;
      if (!ok) throw new Error(seen);
      return seen;
    },
  });
  return {
    name: 'bad-experiments',
    incident: 'A bad experiments file',
    runbook: '#bad-experiments',
    steps: [
      systemHealthy,
      {
        kind: 'check',
        text: 'answers carry the experiment of the current file',
        run: async (world) => {
          before = (await world.api.recommend(await world.shop.activeUser())).experiment ?? 'none';
          return `experiment ${before}`;
        },
      },
      {
        kind: 'inject',
        text: `${FILE} is edited: a variant's share changes so the shares sum to 90`,
        run: async (world) => {
          const good = await world.files.read(FILE);
          await world.files.write(EXPERIMENTS_BACKUP, good);
          const broken = good.replace(/share:\s*50\b/, 'share: 40');
          if (broken === good) throw new Error(`found no "share: 50" to break in ${FILE}`);
          await world.files.write(FILE, broken);
          return 'share: 50 → share: 40';
        },
      },
      reload('symptom', 'the reload is refused with the problems listed', 'rejected'),
      alertActive('ApiExperimentsRejected'),
      {
        kind: 'automatic',
        text: 'the API keeps serving the last good experiments',
        run: (world) =>
          eventually(
            'previous experiments',
            async () => {
              const answer = await world.api.recommend(await world.shop.activeUser());
              return { ok: answer.status === 200 && (answer.experiment ?? 'none') === before, seen: `${answer.status}, experiment ${answer.experiment ?? 'none'}` };
            },
            { timeoutMs: 30_000 },
            world.time,
          ),
      },
      {
        kind: 'operator',
        text: `fix ${FILE} (here: put the reviewed version back, git checkout)`,
        run: async (world) => {
          await world.files.write(FILE, await world.files.read(EXPERIMENTS_BACKUP));
          await world.files.remove(EXPERIMENTS_BACKUP);
          return 'restored';
        },
      },
      reload('recovery', 'the reload is accepted', 'accepted'),
    ],
    restore: async (world) => {
      await restoreExperimentsFile(world);
      await restoreSystem(world);
    },
  };
}

/** Puts the good experiments file back if a drill left its backup (an interrupted run). */
export async function restoreExperimentsFile(world: DrillWorld): Promise<void> {
  if (!(await world.files.exists(EXPERIMENTS_BACKUP))) return;
  await world.files.write(FILE, await world.files.read(EXPERIMENTS_BACKUP));
  await world.files.remove(EXPERIMENTS_BACKUP);
  await world.api.reloadExperiments().catch(() => undefined);
}
