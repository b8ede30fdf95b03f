import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@streamrec/foundation/process';
import type { StateVersion } from '@streamrec/foundation';
import { reloadExperiments, startEvalApi, waitForPopularList, writeEvalKeys } from './adapters/eval-api.js';
import type { EvalTopics } from './adapters/eval-topics.js';
import { recommendAll } from './adapters/recommend-client.js';
import { historyOf, type Dataset, type UserSequence } from './domain/dataset.js';
import { MAX_CUTOFF } from './domain/metrics.js';
import { PopularityCount, popularityCounts } from './domain/popularity.js';
import type { StageResult } from './domain/report.js';
import { scoreAnswers } from './domain/scoring.js';
import { stageExperimentsYaml, type RecallStage, type SnapshotPopularity } from './domain/stages.js';
import type { EvalStack } from './config.js';

export interface StageRunContext {
  readonly stack: EvalStack;
  readonly version: StateVersion;
  readonly topics: EvalTopics;
  readonly dataDir: string;
  readonly dataset: Dataset;
  readonly sample: readonly UserSequence[];
  readonly concurrency: number;
  readonly tuning: { readonly api?: Record<string, unknown>; readonly features?: unknown; readonly trending?: unknown };
  readonly out: (line: string) => void;
  readonly log: Logger;
}

/**
 * Runs recall stages that share the API's popularity mode against one API instance: for each, write
 * its experiments file, hot-reload it through the admin endpoint, ask every user's top 20 with the
 * user's history excluded, and score the answers.
 */
export async function runStagesOnOneApi(popularity: SnapshotPopularity, stages: readonly RecallStage[], context: StageRunContext): Promise<StageResult[]> {
  const first = stages[0];
  if (first === undefined) return [];
  const dataDir = join(context.dataDir, `api-${popularity}`);
  await mkdir(dataDir, { recursive: true });
  const experimentsFile = join(dataDir, 'experiments.yaml');
  await writeFile(experimentsFile, stageExperimentsYaml(first.experiments, MAX_CUTOFF));
  const { file: keysFile, keys } = await writeEvalKeys(dataDir);
  const maxHistory = Math.max(0, ...context.dataset.users.map((sequence) => sequence.items.length - 1));
  context.out(`starting the API (popularity: ${popularity})`);
  const api = await startEvalApi(
    context.stack,
    {
      version: context.version,
      topics: context.topics,
      dataDir,
      experimentsFile,
      keysFile,
      popularity,
      items: context.dataset.items.length,
      maxExclude: maxHistory,
      listLimit: Math.max(300, maxHistory + MAX_CUTOFF),
      overrides: context.tuning.api ?? {},
      featuresParams: context.tuning.features,
      trendingParams: context.tuning.trending,
    },
    context.log.child({ component: 'api' }),
  );
  try {
    const popular = popularityCounts(context.dataset.users, PopularityCount.LeakFree).size;
    const size = await waitForPopularList(api, Math.min(popular, Math.max(300, maxHistory + MAX_CUTOFF)), 120_000);
    context.out(`  API ready at ${api.url}: ${api.parts.catalogue.size} items in the catalogue, popular list of ${size}`);
    const results: StageResult[] = [];
    for (const stage of stages) {
      const started = Date.now();
      await writeFile(experimentsFile, stageExperimentsYaml(stage.experiments, MAX_CUTOFF));
      await reloadExperiments(api, keys.admin);
      const users = stage.population === 'all' ? context.dataset.users : context.sample;
      const queries = users.map((sequence) => ({ user: sequence.user, exclude: historyOf(sequence) }));
      let printed = started;
      const answers = await recommendAll(api.url, keys.read, queries, {
        limit: MAX_CUTOFF,
        concurrency: context.concurrency,
        onProgress: (done) => {
          const now = Date.now();
          if (now - printed < 5_000 && done !== queries.length) return;
          printed = now;
          const rate = (done * 1000) / Math.max(1, now - started);
          context.out(`  ${stage.name}: ${done}/${queries.length} users, ${Math.round(rate)} req/s${done === queries.length ? '' : `, ETA ${Math.ceil((queries.length - done) / Math.max(rate, 1e-9))} s`}`);
        },
      });
      const score = scoreAnswers(users, answers, MAX_CUTOFF);
      const wallMs = Date.now() - started;
      context.out(`  ${stage.name}: HR@10 ${score.metrics['HR@10'].toFixed(4)} NDCG@10 ${score.metrics['NDCG@10'].toFixed(4)} (${score.users} users, ${(wallMs / 1000).toFixed(1)} s${score.degradedAnswers > 0 ? `, ${score.degradedAnswers} DEGRADED answers` : ''})`);
      results.push({ name: stage.name, status: 'ok', description: stage.description, population: stage.population, wallMs, popularity, experiments: stage.experiments, ...score });
    }
    return results;
  } finally {
    await api.stop();
  }
}
