/**
 * `npm run retrain -- score` against the real local stack (ClickHouse, Kafka): a model judged on logged
 * traffic before any traffic sees it, per experiment variant and overall. Crafted exposures of two
 * variants under a unique user prefix: the label follows cross_tag_affinity; the control variant was
 * served in affinity order, the treatment in the reverse order. Every metric is checked against a
 * reference computed here from the planted data, not by the code under test.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@streamrec/foundation';
import { buildPublication, publishWithHistory } from '@streamrec/model/app';
import { linearRankerModel } from '@streamrec/ranking';
import { createClickHouse } from '../helpers/clickhouse.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { createModelTopics, deleteCraftedRows, deleteTopics, insertExposures, insertInteractions, plantedData, runJobCli, type CraftedExposure, type CraftedInteraction } from '../helpers/retrain-data.js';

const suffix = uniqueSuffix();
const prefix = `rs-${suffix}-`;
const marker = `test.retrain-score.${suffix}`;
const modelName = `test-score-${suffix}`;
const experiment = `test-exp-${suffix}`;
const topics = { published: `test.models.${suffix}`, history: `test.models-history.${suffix}` };
const firstItem = 8_500_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
const HOUR = 3_600_000;
const startMs = Date.now() - 72 * HOUR;
const REQUESTS = 240;
const GRADE = { click: 2, cart: 4, purchase: 5 } as const;

const clickhouse = createClickHouse();
const kafka = createKafka('retrain-score-test');
let work = '';
let lastItem = firstItem;
let exposures: CraftedExposure[] = [];
let interactions: CraftedInteraction[] = [];

const commonArgs = ['--name', modelName, '--user-prefix', prefix, '--from', new Date(startMs - HOUR).toISOString(), '--to', new Date(startMs + 12 * HOUR).toISOString(), '--label-window', '1h', '--topic', topics.published, '--history-topic', topics.history, '--bootstrap', '400'];

/** score = sigmoid(w · features): a good model weights the affinity up, a bad one down. */
const goodSpec = { featureNames: ['cross_tag_affinity', 'item_ctr'], weights: [4, 0.1], bias: 0 };
const badSpec = { featureNames: ['cross_tag_affinity', 'item_ctr'], weights: [-4, 0.1], bias: 0 };

const variantOf = (request: number): string => (request % 2 === 0 ? 'control' : 'treatment');

/** A value of the named planted feature of an item (rows logged in another order are mapped by name). */
function feature(exposure: CraftedExposure, item: number, name: string): number {
  return exposure.items[item]?.features[exposure.featureNames.indexOf(name)] ?? Number.NaN;
}

/** The reference: NDCG@10 with gain 2^grade − 1, over the requests that have a positive, by the given order. */
function referenceNdcg(select: (exposure: CraftedExposure) => boolean, score: (exposure: CraftedExposure, item: number) => number): { ndcg: number; requests: number; rows: number } {
  const grades = new Map<string, number>();
  for (const interaction of interactions) {
    const exposure = exposures.find((candidate) => candidate.userId === interaction.userId && candidate.items.some((item) => item.itemId === interaction.itemId));
    if (exposure === undefined || interaction.timeMs <= exposure.timeMs || interaction.timeMs > exposure.timeMs + HOUR) continue;
    const grade = GRADE[interaction.action as keyof typeof GRADE] ?? 0;
    grades.set(`${exposure.requestId}:${interaction.itemId}`, Math.max(grade, grades.get(`${exposure.requestId}:${interaction.itemId}`) ?? 0));
  }
  let sum = 0;
  let requests = 0;
  let rows = 0;
  for (const exposure of exposures.filter(select)) {
    const labels = exposure.items.map((item) => grades.get(`${exposure.requestId}:${item.itemId}`) ?? 0);
    if (!labels.some((label) => label > 0)) continue;
    const dcg = (ordered: number[]): number => ordered.slice(0, 10).reduce((total, label, rank) => total + (2 ** label - 1) / Math.log2(rank + 2), 0);
    const order = exposure.items.map((_, item) => item).sort((a, b) => score(exposure, b) - score(exposure, a));
    sum += dcg(order.map((item) => labels[item] ?? 0)) / dcg([...labels].sort((a, b) => b - a));
    requests += 1;
    rows += exposure.items.length;
  }
  return { ndcg: sum / requests, requests, rows };
}

const good = (exposure: CraftedExposure, item: number): number => 4 * feature(exposure, item, 'cross_tag_affinity') + 0.1 * feature(exposure, item, 'item_ctr');
const bad = (exposure: CraftedExposure, item: number): number => -4 * feature(exposure, item, 'cross_tag_affinity') + 0.1 * feature(exposure, item, 'item_ctr');
const served = (exposure: CraftedExposure, item: number): number => exposure.items[item]?.score ?? 0;

interface Segment {
  readonly all: boolean;
  readonly experiment: string;
  readonly variant: string;
  readonly requests: number;
  readonly rows: number;
  readonly metrics: Record<string, { ndcg_at_10: number; hr_at_10: number; auc: number } | undefined>;
  readonly gains: { against: string; mean: number; ci95: [number, number] | null; verdict: string }[];
}

interface Report {
  readonly candidate: { version: string; feature_names: string[]; coverage: number };
  readonly baseline: { version: string } | null;
  readonly requests: number;
  readonly segments: Segment[];
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'retrain-score-'));
  const data = plantedData({ prefix, startMs, requests: REQUESTS, itemsPerRequest: 10, firstItem, spacingMs: 2 * 60_000, random: seededRandom(20261206) });
  lastItem = data.lastItem;
  // Control was served in the good model's order, treatment in the bad one's: what the served-order column must show.
  exposures = data.exposures.map((exposure, request) => ({
    ...exposure,
    experiment,
    variant: variantOf(request),
    items: exposure.items.map((item, index) => ({ ...item, score: variantOf(request) === 'control' ? good(exposure, index) : bad(exposure, index) })),
  }));
  interactions = data.interactions;
  await createModelTopics(kafka, [topics.published, topics.history]);
  await insertExposures(clickhouse, marker, exposures);
  await insertInteractions(clickhouse, marker, interactions);
  await publishWithHistory(kafka, topics, buildPublication({ name: modelName, version: 'bad-serving', onnx: linearRankerModel(badSpec), featureNames: badSpec.featureNames, lineage: { trainer: 'test' } }));
  await publishWithHistory(kafka, topics, buildPublication({ name: modelName, version: 'good-history', onnx: linearRankerModel(goodSpec), featureNames: goodSpec.featureNames, lineage: { trainer: 'test' } }));
  // The bad model serves again; good-history stays reachable in the history only.
  await publishWithHistory(kafka, topics, buildPublication({ name: modelName, version: 'bad-serving-2', onnx: linearRankerModel(badSpec), featureNames: badSpec.featureNames, lineage: { trainer: 'test' } }));
});

afterAll(async () => {
  await deleteCraftedRows(clickhouse, { marker, items: { first: firstItem, last: lastItem } });
  await deleteTopics(kafka, [topics.published, topics.history]).catch(() => undefined);
  await clickhouse.close();
  if (work !== '') await rm(work, { recursive: true, force: true });
});

describe('retrain score: a model judged on logged traffic, per variant (needs the local stack)', () => {
  it('scores an ONNX file against the serving model and the served order, per variant and overall, as the reference computes', async () => {
    const file = join(work, 'candidate.onnx');
    await writeFile(file, linearRankerModel(goodSpec));
    const out = join(work, 'report.json');
    const result = await runJobCli('retrain', ['score', '--model-file', file, '--features', goodSpec.featureNames.join(','), '--out', out, ...commonArgs], {});
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(report);
    expect(await readFile(join(work, 'report.md'), 'utf8')).toContain(`| ${experiment} / treatment |`);
    expect(result.stderr).toMatch(/NDCG@10 gain vs baseline/);
    expect(report.baseline?.version).toBe('bad-serving-2');
    expect(report.candidate).toMatchObject({ version: 'candidate.onnx', feature_names: goodSpec.featureNames, coverage: 1, item_rows_lacking: 0 });
    expect(report.segments.map((segment) => (segment.all ? 'all' : `${segment.experiment}/${segment.variant}`))).toEqual(['all', `${experiment}/control`, `${experiment}/treatment`]);

    for (const segment of report.segments) {
      const select = (exposure: CraftedExposure): boolean => segment.all || exposure.variant === segment.variant;
      const reference = { candidate: referenceNdcg(select, good), baseline: referenceNdcg(select, bad), served: referenceNdcg(select, served) };
      expect(segment.requests).toBe(reference.candidate.requests);
      expect(segment.rows).toBe(reference.candidate.rows);
      expect(segment.requests).toBeGreaterThan(30);
      expect(segment.metrics['candidate']?.ndcg_at_10).toBeCloseTo(reference.candidate.ndcg, 6);
      expect(segment.metrics['baseline']?.ndcg_at_10).toBeCloseTo(reference.baseline.ndcg, 6);
      expect(segment.metrics['served']?.ndcg_at_10).toBeCloseTo(reference.served.ndcg, 6);
      const vsBaseline = segment.gains.find((gain) => gain.against === 'baseline');
      expect(vsBaseline?.mean).toBeCloseTo(reference.candidate.ndcg - reference.baseline.ndcg, 6);
      expect(vsBaseline?.verdict).toBe('better');
      expect(vsBaseline?.ci95?.[0]).toBeGreaterThan(0);
    }
    const [, control, treatment] = report.segments;
    // Control was served in the candidate's order: no difference at all; treatment in the bad model's: better.
    expect(control?.gains.find((gain) => gain.against === 'served')).toMatchObject({ mean: 0, ci95: [0, 0], verdict: 'no clear difference' });
    expect(treatment?.gains.find((gain) => gain.against === 'served')?.verdict).toBe('better');
    expect(report.requests).toBe(report.segments[0]?.requests);
  });

  it('scores a history version of one experiment without a baseline, and the serving model against a history version', async () => {
    const version = await runJobCli('retrain', ['score', '--version', 'good-history', '--against', 'none', '--experiment', experiment, ...commonArgs], {});
    expect(version.code, version.stderr.slice(-3000)).toBe(0);
    const fromHistory = JSON.parse(version.stdout) as Report;
    expect(fromHistory.baseline).toBeNull();
    expect(fromHistory.segments[0]?.metrics['baseline']).toBeUndefined();
    expect(fromHistory.segments[0]?.metrics['candidate']?.ndcg_at_10).toBeCloseTo(referenceNdcg(() => true, good).ndcg, 6);
    expect(fromHistory.segments[0]?.gains.map((gain) => gain.against)).toEqual(['served']);

    const serving = await runJobCli('retrain', ['score', '--serving', '--against', 'good-history', ...commonArgs], {});
    expect(serving.code, serving.stderr.slice(-3000)).toBe(0);
    const servingReport = JSON.parse(serving.stdout) as Report;
    expect(servingReport.candidate.version).toBe('bad-serving-2');
    expect(servingReport.segments[0]?.gains.find((gain) => gain.against === 'baseline')?.verdict).toBe('worse');
  });

  it('fails with a clear message on an unknown version, an unknown experiment and a window without traffic', async () => {
    const unknown = await runJobCli('retrain', ['score', '--version', 'no-such-version', ...commonArgs], {});
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no-such-version is not in test\.models-history/);
    const noExperiment = await runJobCli('retrain', ['score', '--version', 'good-history', '--experiment', 'no-such-experiment', ...commonArgs], {});
    expect(noExperiment.code).toBe(1);
    expect(noExperiment.stderr).toMatch(/no exposure with logged features .* in experiment no-such-experiment/);
    const usage = await runJobCli('retrain', ['score', '--model-file', join(work, 'x.onnx')], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/needs --features/);
  });
});
