/**
 * `npm run retrain -- run` end to end against the real local stack (ClickHouse, Kafka) and the trainer's
 * Python environment (.stack/venv, `npm run setup`). Isolated: crafted rows under a unique user prefix and
 * kafka_topic marker (the run trains on them alone with --user-prefix), a test-owned model name, models
 * and history topics and MLflow store; all removed afterwards.
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@streamrec/foundation';
import { buildPublication, publishWithHistory, readModelTopic, servingPublication } from '@streamrec/model/app';
import { linearRankerModel } from '@streamrec/ranking';
import type { RunSummary } from '@streamrec/retrain/app';
import { createClickHouse } from '../helpers/clickhouse.js';
import { createKafka, kafkaAdminVariables, repoRoot, uniqueSuffix } from '../helpers/stack.js';
import { createModelTopics, deleteCraftedRows, deleteTopics, insertExposures, insertInteractions, plantedData, runJobCli } from '../helpers/retrain-data.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix();
const prefix = `rt-${suffix}-`;
const marker = `test.retrain.${suffix}`;
const modelName = `test-retrain-${suffix}`;
const topics = { published: `test.models.${suffix}`, history: `test.models-history.${suffix}` };
const firstItem = 8_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
const HOUR = 3_600_000;
const startMs = Date.now() - 72 * HOUR;
const REQUESTS = 300;

const clickhouse = createClickHouse();
const kafka = createKafka('retrain-run-test');
let work = '';
let lastItem = firstItem;
let env: Record<string, string> = {};

const runArgs = ['--name', modelName, '--user-prefix', prefix, '--from', new Date(startMs - HOUR).toISOString(), '--to', new Date(startMs + 12 * HOUR).toISOString(), '--label-window', '1h', '--topic', topics.published, '--history-topic', topics.history];

function linearChampion(version: string, weight: number) {
  const spec = { featureNames: ['cross_tag_affinity', 'item_ctr'], weights: [weight, 0.1], bias: 0 };
  return buildPublication({ name: modelName, version, onnx: linearRankerModel(spec), featureNames: spec.featureNames, lineage: { trainer: 'test champion' } });
}

/**
 * The run's model_runs rows by revision. ReplacingMergeTree(revision) may already have merged older
 * revisions away (that is the table's design), so the rows seen are a subset of the status history.
 */
async function expectStatusHistory(runId: string, history: readonly string[]): Promise<void> {
  const result = await clickhouse.query({
    query: `SELECT status, revision FROM streamrec.model_runs WHERE model_name = '${modelName}' AND run_id = '${runId.replace(/[^0-9A-Za-z-]/g, '')}' ORDER BY revision`,
    format: 'JSONEachRow',
  });
  const rows = (await result.json<{ status: string; revision: number }>()).map((row) => ({ status: row.status, revision: Number(row.revision) }));
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.status).toBe(history[row.revision - 1]);
  expect(rows.at(-1)).toEqual({ status: history.at(-1), revision: history.length });
}

async function latestRun(runId: string): Promise<Record<string, unknown>> {
  const result = await clickhouse.query({
    query: `SELECT run_id, status, toUInt32(revision) AS revision, model_version, gate_passed, champion_version, error, onnx_sha256, onnx_parity_max_abs, train_rows, holdout_rows, feature_names, metrics.name AS names, metrics.value AS metric_values, champion_metrics.name AS champion_names, champion_metrics.value AS champion_values, trainer_versions, code_version, finished_at
            FROM streamrec.model_runs FINAL WHERE model_name = '${modelName}' AND run_id = '${runId.replace(/[^0-9A-Za-z-]/g, '')}'`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<string, unknown>>();
  if (row === undefined) throw new Error(`no model_runs row for ${runId}`);
  return row;
}

const metricOf = (row: Record<string, unknown>, name: string): number | undefined => {
  const names = row['names'] as string[];
  const values = row['metric_values'] as number[];
  const index = names.indexOf(name);
  return index === -1 ? undefined : Number(values[index]);
};

async function mlflowTags(mlflowRunId: string): Promise<Record<string, string>> {
  const script = 'import json, sqlite3, sys; db = sqlite3.connect(sys.argv[1]); print(json.dumps(dict(db.execute("SELECT key, value FROM tags WHERE run_uuid = ?", (sys.argv[2],)).fetchall())))';
  const { stdout } = await promisify(execFile)(join(repoRoot, '.stack', 'venv', 'bin', 'python'), ['-c', script, join(work, 'mlflow.db'), mlflowRunId]);
  return JSON.parse(stdout) as Record<string, string>;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'retrain-run-'));
  env = { ...kafkaAdminVariables, STREAMREC_MLFLOW_TRACKING_URI: `sqlite:///${join(work, 'mlflow.db')}`, STREAMREC_RETRAIN_WORK_DIR: join(work, 'runs') };
  const data = plantedData({ prefix, startMs, requests: REQUESTS, itemsPerRequest: 10, firstItem, spacingMs: 2 * 60_000, random: seededRandom(20261205) });
  lastItem = data.lastItem;
  await createModelTopics(kafka, [topics.published, topics.history]);
  await insertExposures(clickhouse, marker, data.exposures);
  await insertInteractions(clickhouse, marker, data.interactions);
});

afterAll(async () => {
  await deleteCraftedRows(clickhouse, { marker, items: { first: firstItem, last: lastItem }, modelNames: [modelName] });
  await deleteTopics(kafka, [topics.published, topics.history]).catch(() => undefined);
  await clickhouse.close();
  if (work !== '') await rm(work, { recursive: true, force: true });
});

describe('retrain run (needs the local stack and .stack/venv)', () => {
  it('trains on the crafted rows, passes parity, beats a bad champion, publishes and records the run', async () => {
    await publishWithHistory(kafka, topics, linearChampion('bad-champion', -4));
    const started = Date.now();
    const result = await runJobCli('retrain', ['run', ...runArgs], env);
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    console.log(`retrain-run: published run took ${seconds.toFixed(1)} s (stages ${JSON.stringify(summary.durations_s)}), splits ${JSON.stringify(summary.data.splits)}`);
    expect(summary.status).toBe('published');
    expect(summary.data.feature_names).toEqual(['cross_tag_affinity', 'fused_score', 'item_ctr', 'item_popularity_log']);
    expect(summary.parity?.onnxruntime_node_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(summary.challenger?.ndcg_at_10).toBeGreaterThan(0.9);
    expect(summary.champion).toMatchObject({ version: 'bad-champion', comparable: true });
    expect(summary.champion?.metrics?.ndcg_at_10).toBeLessThan(0.6);
    expect(summary.model_version).toMatch(new RegExp(`^${modelName}-\\d{8}T\\d{6}Z-[0-9a-f]{8}$`));
    expect(result.stderr).toMatch(/extract: received [\d,]+ rows of [\d,]+ requests/);

    const serving = servingPublication(await readModelTopic(kafka, topics.published), modelName);
    expect(serving?.version).toBe(summary.model_version);
    expect(serving?.feature_names).toEqual(summary.data.feature_names);
    expect(serving?.lineage).toMatchObject({ run_id: summary.run_id, parent_version: 'bad-champion', label_window: '1h' });
    expect(serving?.metrics['ndcg_at_10']).toBeCloseTo(summary.challenger?.ndcg_at_10 ?? -1, 12);
    const history = await readModelTopic(kafka, topics.history);
    expect(history.map((record) => record.key)).toEqual([`${modelName}:bad-champion`, `${modelName}:${summary.model_version}`]);

    await expectStatusHistory(summary.run_id, ['running', 'trained', 'published']);
    const run = await latestRun(summary.run_id);
    expect(run).toMatchObject({ status: 'published', model_version: summary.model_version, gate_passed: 1, champion_version: 'bad-champion', error: '', feature_names: summary.data.feature_names });
    expect(Number(run['onnx_parity_max_abs'])).toBeLessThanOrEqual(1e-5);
    expect(Number(run['train_rows'])).toBe(summary.data.splits?.train.rows);
    expect(metricOf(run, 'holdout.ndcg_at_10')).toBeCloseTo(summary.challenger?.ndcg_at_10 ?? -1, 12);
    expect(metricOf(run, 'gate.delta_ndcg_at_10')).toBeGreaterThan(0.3);
    // the job's default model: 4 members averaged (docs/evaluation.md, run 9)
    expect(metricOf(run, 'settings.ensemble_members')).toBe(4);
    // the planted feature carries the model
    expect(metricOf(run, 'importance.gain.cross_tag_affinity')).toBeGreaterThan(10 * (metricOf(run, 'importance.gain.item_ctr') ?? Number.POSITIVE_INFINITY));
    expect(run['champion_names']).toContain('ndcg_at_10');
    expect(JSON.parse(String(run['trainer_versions']))).toMatchObject({ lightgbm: '4.7.0' });

    const tags = await mlflowTags(summary.mlflow.run_id ?? '');
    expect(tags).toMatchObject({ 'streamrec.decision': 'published', 'streamrec.published_version': summary.model_version, 'streamrec.champion_version': 'bad-champion', 'streamrec.run_id': summary.run_id });
  });

  it('refuses a challenger that does not beat a better champion, records why, and publishes nothing', async () => {
    const good = linearChampion('good-champion', 4);
    await publishWithHistory(kafka, topics, good);
    const before = await readModelTopic(kafka, topics.published);
    const result = await runJobCli('retrain', ['run', ...runArgs], env);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.status).toBe('rejected');
    expect(summary.reason).toMatch(/does not beat the champion by the margin: holdout NDCG@10 .* vs champion good-champion/);
    expect(summary.published).toBeNull();
    expect(await readModelTopic(kafka, topics.published)).toHaveLength(before.length);
    expect(servingPublication(await readModelTopic(kafka, topics.published), modelName)?.version).toBe('good-champion');
    await expectStatusHistory(summary.run_id, ['running', 'trained', 'rejected']);
    const run = await latestRun(summary.run_id);
    expect(run).toMatchObject({ status: 'rejected', gate_passed: 0, model_version: '', champion_version: 'good-champion' });
    expect(String(run['error'])).toMatch(/does not beat the champion/);
    expect(metricOf(run, 'gate.delta_ndcg_at_10')).toBeLessThan(0.001);
    expect((await mlflowTags(summary.mlflow.run_id ?? ''))['streamrec.decision']).toBe('rejected');
  });

  it('fails a run without data, records it as failed and exits 1', async () => {
    const before = (await readModelTopic(kafka, topics.published)).length;
    const result = await runJobCli('retrain', ['run', ...runArgs, '--user-prefix', `${prefix}nobody-`], env);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary).toMatchObject({ status: 'failed', error: { stage: 'extract' } });
    expect(summary.reason).toMatch(/not enough data: no exposure with logged features/);
    await expectStatusHistory(summary.run_id, ['running', 'failed']);
    expect(String((await latestRun(summary.run_id))['error'])).toMatch(/^extract: not enough data/);
    expect(await readModelTopic(kafka, topics.published)).toHaveLength(before);
  });

  it('names the setup command when the trainer environment is missing', async () => {
    const result = await runJobCli('retrain', ['run', ...runArgs], { ...env, STREAMREC_RETRAIN_PYTHON: join(work, 'no-venv', 'bin', 'python') });
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary).toMatchObject({ status: 'failed', error: { stage: 'train' } });
    expect(summary.reason).toContain('npm run setup');
    expect(summary.reason).toContain('requirements.lock');
    await expectStatusHistory(summary.run_id, ['running', 'failed']);
  });

  it('fails a model whose ONNX export does not score like LightGBM in onnxruntime-node, and publishes nothing', async () => {
    const fake = join(work, 'fake-python');
    await writeFile(fake, `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(repoRoot, 'test', 'helpers', 'fake-trainer.ts')}" "$@"\n`);
    await chmod(fake, 0o755);
    const before = await readModelTopic(kafka, topics.published);
    const result = await runJobCli('retrain', ['run', ...runArgs, '--force'], { ...env, STREAMREC_RETRAIN_PYTHON: fake });
    expect(result.code, result.stderr.slice(-2000)).toBe(1);
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary).toMatchObject({ status: 'failed', error: { stage: 'parity' }, published: null });
    expect(summary.reason).toMatch(/ONNX parity failed in onnxruntime-node: max \|ONNX − LightGBM\| = [\d.e-]+ > 0.00001/);
    await expectStatusHistory(summary.run_id, ['running', 'failed']);
    expect(await readModelTopic(kafka, topics.published)).toHaveLength(before.length);
  });

  it('loops: a failed run is logged and counted, /metrics serves it, SIGTERM stops the loop cleanly', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/retrain/src/cli.ts', 'loop', '--every', '1h', '--metrics-port', '0', ...runArgs, '--user-prefix', `${prefix}nobody-`], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await waitFor(() => /"metrics":"127\.0\.0\.1:(\d+)"/.exec(stderr)?.[1], { timeoutMs: 30_000, description: 'the loop to log its /metrics address' });
      const metrics = await waitFor(
        async () => {
          const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
          return text.includes(`retrain_last_run_status{model="${modelName}",status="failed",job="retrain"} 1`) ? text : undefined;
        },
        { timeoutMs: 30_000, description: 'the failed run on /metrics' },
      );
      expect(metrics).toContain(`retrain_runs_total{model="${modelName}",status="failed",job="retrain"} 1`);
      expect(metrics).toMatch(new RegExp(`retrain_last_run_duration_seconds\\{model="${modelName}",job="retrain"\\} \\d`));
      expect(stderr).toContain('run failed; the loop goes on');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('retrain loop stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
