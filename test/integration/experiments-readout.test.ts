/**
 * Integration (the real local stack with the demo shop: `npm run setup`): the experiment readout end to
 * end. Storefront traffic (the demo generator's simulator) asks a real API (test/helpers/api-world.ts)
 * whose experiments file holds three test experiments, each on its own scene; the simulated users react
 * to what they were shown; exposures and beacons reach ClickHouse through the real sink; then
 * `npm run experiments -- report` reads them out as an operator would. Three planted truths:
 * (a) one variant's users click more (--lift) → a lift whose interval excludes zero;
 * (b) the exposure log loses 60 % of one variant's users (a relay between the API and ClickHouse drops
 *     their answers) and that variant serves without its model → SRM, the readout INVALID, the variant's
 *     degraded share flagged;
 * (c) an A/A split → no lift beyond chance (p > 0.001: the clicks are not fully seeded, see the test), a
 *     healthy split.
 * The lift readout's report.html is opened in headless Chromium (Debian's, driven by playwright-core).
 * Isolated by test-owned topics, experiment ids unique per run (filtered by the readout) and user
 * prefixes; experiment salts and prefixes are fixed, so the same users land in the same variants on
 * every run and the seeded traffic repeats. Only rows from this run's own topics are deleted afterwards.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { murmur2, sql } from '@streamrec/foundation';
import { decimalFromString } from '@streamrec/schemas';
import { createEventCodec } from '@streamrec/schemas/avro';
import { parseClickHouseSinkConfig, startClickHouseSink, type RunningClickHouseSink } from '@streamrec/clickhouse-sink/app';
import { interaction, startApiWorld, worldKeys, type ApiWorld } from '../helpers/api-world.js';
import { createClickHouse } from '../helpers/clickhouse.js';
import { runDemoGenerator, type TrafficSummary } from '../helpers/demo-generator.js';
import { demoCatalogue, ensureDemoShop } from '../helpers/demo-shop.js';
import { ExposureRelay } from '../helpers/exposure-relay.js';
import { dumpDom, expectSelfContainedReport, fullPageScreenshot, withReportPage } from '../helpers/headless-browser.js';
import { processTestConfig } from '../helpers/process-test.js';
import { createKafka, repoRoot, stackEnv, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = uniqueSuffix();
/** Per test: its experiment (unique per run), scene, fixed salt and user prefix. */
const EXPERIMENTS = {
  lift: { id: `xr-lift-${suffix}`, scene: 'xr_lift', salt: 'xr-lift', prefix: 'xr-lift-', variants: ['control', 'treatment'] },
  srm: { id: `xr-srm-${suffix}`, scene: 'xr_srm', salt: 'xr-srm', prefix: 'xr-srm-', variants: ['control', 'treatment'] },
  aa: { id: `xr-aa-${suffix}`, scene: 'xr_aa', salt: 'xr-aa', prefix: 'xr-aa-', variants: ['control', 'copy'] },
} as const;
type Planted = keyof typeof EXPERIMENTS;
const REQUESTS = 600;
const RATE = 25;
/** (c): chance reaches a CTR lift with p below this in one A/A run of a thousand. */
const AA_ALPHA = 0.001;
/** (b): the share of the treatment's users whose answers the exposure log loses. */
const BROKEN_SHARE = 0.6;
const brokenUser = (user: string): boolean => ((murmur2(new TextEncoder().encode(`broken-logger:${user}`)) & 0x7fffffff) % 1000) / 1000 < BROKEN_SHARE;

// The HTML is checked as the data-quality report's is, in headless Chromium (test/helpers/headless-browser.ts).
/** Where the lift readout's page and its screenshot stay for a person to look at (git-ignored). */
const RESULTS = join(repoRoot, '.stack', 'test-results');

const kafka = createKafka(`test-experiments-${suffix}`);
const relayTopic = `test.xr.${suffix}.exposures`;
const sinkTopics = { items: `test.xr.${suffix}.items`, users: `test.xr.${suffix}.users`, orders: `test.xr.${suffix}.orders`, orderItems: `test.xr.${suffix}.order-items` };
const itemCodec = createEventCodec('events.items.v1');

let world: ApiWorld;
let relay: ExposureRelay;
let sink: RunningClickHouseSink;
let clickhouse: ClickHouseClient;
let outRoot: string;
const startedAt = Date.now();

/** The test's experiments over the repo's defaults, served without a model (no model is published in this world). */
async function writeExperiments(): Promise<void> {
  const base = parse(await readFile(join(repoRoot, 'config', 'experiments.yaml'), 'utf8')) as { defaults: Record<string, unknown> };
  const experiments = Object.values(EXPERIMENTS).map((experiment) => ({
    id: experiment.id,
    salt: experiment.salt,
    scenes: [experiment.scene],
    variants: experiment.variants.map((name) => ({ name, share: 50, ...(experiment === EXPERIMENTS.srm && name === 'treatment' ? { model: 'ranker' } : {}) })),
  }));
  await writeFile(world.experimentsFile, stringify({ defaults: { ...base.defaults, model: null }, experiments }));
  const reload = await world.opsPost<{ ok: boolean }>('/admin/experiments/reload', {}, worldKeys.admin);
  expect(reload.status, JSON.stringify(reload.body)).toBe(200);
}

async function count(query: string): Promise<number> {
  const result = await clickhouse.query({ query, format: 'JSONEachRow' });
  return Number((await result.json<{ n: string }>())[0]?.n ?? 0);
}

/** The sink has stored every record the API has produced to this run's interactions topic (each partition up to its end). */
async function interactionsStored(): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(world.topics.interactions);
    const result = await clickhouse.query({ query: `SELECT kafka_partition AS partition, max(kafka_offset) AS last FROM streamrec.interactions WHERE kafka_topic = ${sql.string(world.topics.interactions)} GROUP BY kafka_partition`, format: 'JSONEachRow' });
    const stored = new Map((await result.json<{ partition: number; last: string }>()).map((row) => [Number(row.partition), Number(row.last)]));
    return ends.every((end) => Number(end.high) <= Number(end.low) || (stored.get(end.partition) ?? -1) >= Number(end.high) - 1);
  } finally {
    await admin.disconnect();
  }
}

/** Seeded storefront traffic in one experiment's scene, then every answer and beacon of it in ClickHouse. */
async function trafficIn(planted: Planted, seed: number, extra: readonly string[] = []): Promise<TrafficSummary> {
  const experiment = EXPERIMENTS[planted];
  const { code, summary } = await runDemoGenerator([
    'traffic', '--api', world.url, '--api-key', worldKeys.read, '--events-key', worldKeys.events, '--user-prefix', experiment.prefix,
    '--scenes', experiment.scene, '--rate', String(RATE), '--requests', String(REQUESTS), '--limit', '10', '--seed', String(seed), '--no-orders', ...extra,
  ]);
  expect(code).toBe(0);
  const traffic = summary as unknown as TrafficSummary;
  // The machine is shared: under load the simulator times out on some requests and beacons that the API
  // may still have answered, logged and stored. So the waits below read what the API produced (the relay's
  // tally, the interactions topic's end offsets), not what the simulator believes it sent.
  expect(traffic.requests.sent).toBe(REQUESTS);
  expect(traffic.requests.answered).toBeGreaterThan(0.8 * REQUESTS);
  await waitFor(() => relay.seen(experiment.id) >= traffic.requests.answered || undefined, { timeoutMs: 60_000, description: `the relay to see the ${traffic.requests.answered} answers of ${experiment.id}` });
  const exposures = `SELECT uniqExact(request_id) AS n FROM streamrec.exposures WHERE experiment = ${sql.string(experiment.id)}`;
  await waitFor(async () => ((await count(exposures)) === relay.passed(experiment.id).requests && (await interactionsStored())) || undefined, {
    timeoutMs: 90_000,
    intervalMs: 500,
    description: `${experiment.id}: ${relay.passed(experiment.id).requests} exposures and every record of ${world.topics.interactions} in ClickHouse`,
  });
  return traffic;
}

/** Answers per variant as the API logged them (what reached ClickHouse); the simulator received all but its failures. */
function expectLoggedAnswers(experiment: string, variants: readonly { readonly variant: string; readonly requests: number; readonly users: number }[], traffic: TrafficSummary): void {
  const logged = relay.passed(experiment);
  for (const variant of variants) {
    expect(variant.requests, variant.variant).toBe(logged.requestsByVariant.get(variant.variant));
    expect(variant.users, variant.variant).toBe(logged.usersByVariant.get(variant.variant)?.size);
    expect(variant.requests).toBeGreaterThanOrEqual(traffic.answersByVariant[variant.variant] ?? 0);
  }
  expect(variants.reduce((sum, variant) => sum + variant.requests, 0)).toBeLessThanOrEqual(traffic.requests.answered + traffic.requests.failed);
}

interface Readout {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: {
    readonly experiments: readonly {
      readonly experiment: string;
      readonly status: string;
      readonly users: number;
      readonly variants: readonly { readonly variant: string; readonly users: number; readonly requests: number; readonly clicks: number; readonly downloads: number; readonly purchases: number; readonly revenue: number }[];
      readonly lifts: readonly { readonly variant: string; readonly metric: string; readonly relative: number | null; readonly lower: number | null; readonly upper: number | null; readonly pValue: number | null; readonly significant: boolean }[];
      readonly srm: { readonly pValue: number; readonly mismatch: boolean; readonly statistic: number | null; readonly variants: readonly { readonly variant: string; readonly users: number }[] } | null;
      readonly degraded: readonly { readonly variant: string; readonly share: number | null; readonly excess: boolean; readonly reasons: readonly { readonly reason: string; readonly requests: number }[] }[];
    }[];
  };
  readonly html: string;
  readonly metrics: string;
}

/** `npm run experiments -- report` as an operator runs it, and what it wrote. */
async function readout(planted: Planted): Promise<Readout> {
  const outDir = join(outRoot, planted);
  const args = ['report', '--experiment', EXPERIMENTS[planted].id, '--since', new Date(startedAt - 60_000).toISOString(), '--config', world.experimentsFile, '--out-dir', outDir];
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'jobs/experiments/src/cli.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.once('exit', (exit) => resolve(exit ?? -1)));
  console.info(`readout of ${planted} (exit ${code}):\n${stdout}`);
  expect(stderr).toContain('[experiments +');
  return {
    code,
    stdout,
    stderr,
    report: JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as Readout['report'],
    html: await readFile(join(outDir, 'report.html'), 'utf8'),
    metrics: await readFile(join(outDir, 'metrics.prom'), 'utf8'),
  };
}

beforeAll(async () => {
  outRoot = await mkdtemp(join(tmpdir(), 'streamrec-experiments-'));
  await ensureDemoShop();
  // Budgets well above what a loaded test machine needs (yet under the simulator's 5 s request timeout),
  // so the only degradation that differs between variants is the planted one: the API degrades on a
  // slow Redis, and this machine is shared.
  world = await startApiWorld({ budgetsMs: { redis_profile: 2_000, redis_recall: 2_000, redis_features: 2_000, ranking: 2_000 } });
  const { items } = await demoCatalogue();
  await world.producer.send({ topic: world.topics.items, acks: -1, messages: items.map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })) });
  // A crowd's views give the popular lists that answer the (cold) simulated users.
  const listed = items.filter((item) => item.available);
  const now = Date.now();
  await world.sendInteractions(Array.from({ length: 600 }, (_, i) => interaction(`xr-crowd-${i % 150}`, listed[(i * 7_919) % Math.min(400, listed.length)]!.id, 'view', now - 600_000 + i * 100, `xr-crowd:${suffix}:${i}`)));
  await writeExperiments();

  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: [{ topic: relayTopic, numPartitions: 6 }, ...Object.values(sinkTopics).map((topic) => ({ topic, numPartitions: 1 }))] });
  await admin.disconnect();
  relay = new ExposureRelay(kafka, world.topics.exposures, relayTopic, (exposure) => exposure.experiment === EXPERIMENTS.srm.id && exposure.variant === 'treatment' && brokenUser(exposure.user_id));
  await relay.start();
  clickhouse = createClickHouse();
  sink = await startClickHouseSink(
    parseClickHouseSinkConfig({
      ...processTestConfig('clickhouse-sink', { suffix, version: world.version, groupVersion: `test-xr-${suffix}` }),
      startFrom: 'earliest',
      topics: { ...sinkTopics, interactions: world.topics.interactions, exposures: relayTopic },
      clickhouse: { url: `http://${stackEnv['STREAMREC_HOST'] ?? '127.0.0.1'}:${stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`, username: stackEnv['STREAMREC_CLICKHOUSE_USER'], password: stackEnv['STREAMREC_CLICKHOUSE_PASSWORD'] },
      flush: { maxRows: 500, maxDelayMs: 200 },
    }),
    pino({ level: 'silent' }),
  );
  // Cold users get full answers once the crowd's views are in the popular lists (scene home: no experiment).
  await waitFor(async () => ((await world.get<{ items: unknown[] }>('/v1/recommendations?user_id=xr-probe&limit=10&scene=home')).body.items.length >= 10 ? true : undefined), {
    timeoutMs: 60_000,
    description: 'the crowd views to give cold users full answers',
  });
});

afterAll(async () => {
  await sink?.stop();
  await relay?.stop();
  // Only this run's rows: those the sink read from this run's own topics.
  const topics = sql.stringArray([relayTopic, world?.topics.interactions ?? relayTopic]);
  for (const table of ['exposures', 'interactions']) await clickhouse?.command({ query: `ALTER TABLE streamrec.${table} DELETE WHERE has(${topics}, kafka_topic)` }).catch(() => undefined);
  await clickhouse?.close();
  await world?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [relayTopic, ...Object.values(sinkTopics)] }).catch(() => undefined);
  await admin.deleteGroups([relay?.groupId ?? '']).catch(() => undefined);
  await admin.disconnect();
  await rm(outRoot, { recursive: true, force: true });
});

describe('experiment readout on simulated storefront traffic', () => {
  it('finds a planted click lift with an interval above zero, and counts what the simulator and the shop did', { timeout: 300_000 }, async () => {
    const experiment = EXPERIMENTS.lift;
    const traffic = await trafficIn('lift', 21, ['--lift', 'treatment=4']);
    // Purchases reach ClickHouse from the shop, without a request_id: a few exposed users buy after their answers.
    const exposed = await clickhouse.query({ query: `SELECT variant, groupUniqArray(user_id) AS users FROM streamrec.exposures WHERE experiment = ${sql.string(experiment.id)} GROUP BY variant`, format: 'JSONEachRow' });
    const byVariant = new Map((await exposed.json<{ variant: string; users: string[] }>()).map((row) => [row.variant, [...row.users].sort()]));
    const buyers = [...(byVariant.get('control') ?? []).slice(0, 3), ...(byVariant.get('treatment') ?? []).slice(0, 5)];
    const boughtAt = Date.now();
    await world.sendInteractions(buyers.map((user, index) => ({ ...interaction(user, 1 + index, 'purchase', boughtAt, `xr-buy:${suffix}:${index}`), price: decimalFromString('19.90'), quantity: 2 })));
    await waitFor(async () => (await count(`SELECT count() AS n FROM streamrec.interactions WHERE kafka_topic = ${sql.string(world.topics.interactions)} AND action = 'purchase'`)) === buyers.length || undefined, { timeoutMs: 60_000, description: 'the purchases in ClickHouse' });

    const { code, report, html, metrics, stdout } = await readout('lift');
    expect(code).toBe(0);
    const result = report.experiments[0];
    expect(result?.status).toBe('valid');
    // the readout's counts are what the API logged and the simulator did: answers per variant, every click
    // and download attributed
    expectLoggedAnswers(experiment.id, result?.variants ?? [], traffic);
    // every click and download the simulator sent, and at most those of its timed-out beacons the API still took
    const clicks = (result?.variants ?? []).reduce((sum, variant) => sum + variant.clicks, 0);
    const downloads = (result?.variants ?? []).reduce((sum, variant) => sum + variant.downloads, 0);
    expect(clicks).toBeGreaterThanOrEqual(traffic.events.byAction['click'] ?? 0);
    expect(downloads).toBeGreaterThanOrEqual(traffic.events.byAction['download'] ?? 0);
    expect(clicks + downloads).toBeLessThanOrEqual((traffic.events.byAction['click'] ?? 0) + (traffic.events.byAction['download'] ?? 0) + traffic.events.failed);
    expect(result?.variants.map((variant) => [variant.variant, variant.purchases, Math.round(variant.revenue * 100) / 100])).toEqual([
      ['control', 3, 119.4],
      ['treatment', 5, 199],
    ]);
    const ctr = result?.lifts.find((lift) => lift.variant === 'treatment' && lift.metric === 'ctr');
    console.info(`planted lift ×4 on clicks: CTR lift ${ctr?.relative} [${ctr?.lower}, ${ctr?.upper}], p ${ctr?.pValue}`);
    expect(ctr?.significant).toBe(true);
    expect(ctr?.lower).toBeGreaterThan(0);
    expect(ctr?.relative).toBeGreaterThan(1);
    expect(stdout).toMatch(/treatment\s+CTR\s+\+\d+\.\d %\s+\[\+\d+\.\d %, \+\d+\.\d %\]\s+\S+\s+significant/);
    expect(html).toContain('Cumulative lift of CTR vs control');
    expect(html).toMatch(/<g class="interval" data-interval="treatment: 95 % interval"><path /);
    const exportedLower = new RegExp(`^experiment_lift_lower\\{experiment="${experiment.id}",variant="treatment",metric="ctr"\\} (\\S+)$`, 'm').exec(metrics)?.[1];
    expect(Number(exportedLower)).toBeCloseTo(ctr?.lower ?? Number.NaN, 10);
    expect(metrics).toContain(`experiment_srm_detected{experiment="${experiment.id}"} 0`);
  });

  it('renders the lift readout in headless Chromium: every chart with a size, no console error, nothing loaded from outside', { timeout: 120_000 }, async () => {
    const html = join(outRoot, 'lift', 'report.html');
    expect(existsSync(html), 'the lift readout (the first test) wrote report.html').toBe(true);
    const source = await readFile(html, 'utf8');
    await withReportPage(html, async (opened) => {
      const { page } = opened;
      // the cumulative lift of each metric, users per variant against the shares, degraded shares, three per-bucket charts
      expect(await expectSelfContainedReport(opened, source)).toBeGreaterThanOrEqual(6);
      // the lift's interval band is drawn: a filled path with a real extent inside the cumulative-lift chart
      const bandHeight = await page.evaluate<number>('Math.max(0, ...[...document.querySelectorAll("g.interval path")].map((path) => path.getBBox().height))');
      expect(bandHeight).toBeGreaterThan(1);
      expect(await page.evaluate<string>('document.body.innerText')).toContain('SIGNIFICANT');
      const png = await fullPageScreenshot(page, 1_500);
      await mkdir(RESULTS, { recursive: true });
      await writeFile(join(RESULTS, 'experiments-readout.png'), png);
      await copyFile(html, join(RESULTS, 'experiments-readout.html'));
    });
    // Chromium's own command line reads the same page: every SVG is in the rendered DOM
    const stdout = await dumpDom(html);
    expect((stdout.match(/<svg /g) ?? []).length).toBe((source.match(/<svg /g) ?? []).length);
    expect(stdout).toContain('Experiment readout');
  });

  it('marks the readout invalid when the exposure log loses some of one variant’s users, and flags its degraded answers', { timeout: 300_000 }, async () => {
    const experiment = EXPERIMENTS.srm;
    await trafficIn('srm', 22);
    const { code, report, stdout, metrics } = await readout('srm');
    expect(code).toBe(1);
    const result = report.experiments[0];
    const passed = relay.passed(experiment.id).usersByVariant;
    const lost = relay.dropped(experiment.id).usersByVariant.get('treatment')?.size ?? 0;
    console.info(`SRM: users control ${passed.get('control')?.size}, treatment ${passed.get('treatment')?.size} (${lost} lost); χ² ${result?.srm?.statistic}, p ${result?.srm?.pValue}`);
    // How many distinct users the drop hits varies with the users the simulator reached under load (with 40 %
    // dropped: 34 in one CI run, 63 and about 78 in others; with 60 %: 95, χ² 43, p 6e-11): 60 % keeps the
    // mismatch far beyond p < 0.001 in all of them.
    expect(lost).toBeGreaterThan(20);
    expect(result?.status).toBe('invalid');
    // the users the readout counts are exactly those whose answers reached ClickHouse
    expect(result?.srm?.variants.map((variant) => [variant.variant, variant.users])).toEqual([
      ['control', passed.get('control')?.size],
      ['treatment', passed.get('treatment')?.size],
    ]);
    expect(result?.srm?.mismatch).toBe(true);
    expect(result?.srm?.pValue).toBeLessThan(0.001);
    expect(stdout).toContain(`experiment ${experiment.id}: INVALID — sample ratio mismatch`);
    expect(metrics).toContain(`experiment_srm_detected{experiment="${experiment.id}"} 1`);
    expect(metrics).toContain(`experiment_readout_valid{experiment="${experiment.id}"} 0`);
    // the treatment ranks with a model this world never published: every answer degraded, control none
    const treatmentDegraded = result?.degraded.find((entry) => entry.variant === 'treatment');
    expect(treatmentDegraded).toMatchObject({ share: 1, excess: true });
    // ranker_unavailable until the API's breaker opens, ranker_breaker_open after (and on a loaded machine redis_timeout…)
    expect(treatmentDegraded?.reasons.map((entry) => entry.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/^ranker_(unavailable|breaker_open)$/)]));
    expect(result?.degraded.find((entry) => entry.variant === 'control')?.excess).toBe(false);
    expect(metrics).toContain(`experiment_degraded_excess{experiment="${experiment.id}",variant="treatment"} 1`);
  });

  it('finds no lift beyond chance and a healthy split in an A/A experiment', { timeout: 300_000 }, async () => {
    const experiment = EXPERIMENTS.aa;
    const traffic = await trafficIn('aa', 23);
    const { code, report, metrics } = await readout('aa');
    expect(code).toBe(0);
    const result = report.experiments[0];
    const ctr = result?.lifts.find((lift) => lift.metric === 'ctr');
    console.info(`A/A: users ${result?.variants.map((variant) => `${variant.variant} ${variant.users}`).join(', ')}; SRM p ${result?.srm?.pValue}; CTR lift ${ctr?.relative} [${ctr?.lower}, ${ctr?.upper}], p ${ctr?.pValue}`);
    expect(result?.status).toBe('valid');
    expect(result?.srm?.pValue).toBeGreaterThan(0.001);
    expectLoggedAnswers(experiment.id, result?.variants ?? [], traffic);
    expect(ctr?.variant).toBe('copy');
    // The seed fixes the users and their variants, not every click: what a user is shown (and so clicks)
    // depends on the shared stack's state and load, so the p-value moves between runs (seen: 0.46, 0.27,
    // 0.27, 0.021, 0.066 — these two fixed groups of users happen to click a little differently) and
    // "not significant at 95 %" is not a property a run can promise. What a broken readout would do —
    // attribute clicks to the wrong variant, or underestimate the variance so that chance looks like a
    // lift — shows as p far below 0.001, which chance reaches once in a thousand.
    expect(ctr?.pValue).toBeGreaterThan(AA_ALPHA);
    // the verdict agrees with its interval and p-value (the interval excludes 0 exactly when p < 5 %)
    expect(ctr?.significant).toBe((ctr?.pValue ?? 0) < 0.05);
    expect(ctr?.significant).toBe((ctr?.lower ?? 0) > 0 || (ctr?.upper ?? 0) < 0);
    expect(metrics).toContain(`experiment_readout_valid{experiment="${experiment.id}"} 1`);
  });
});
