import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createClickHouse } from '../helpers/clickhouse.js';
import { repoRoot, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

// Needs the local stack (ClickHouse, Kafka) and promtool. The test's rows live in a 12-hour window of a
// random month between 1975 and 2004 that nothing else writes to, and are deleted afterwards.
const execFileAsync = promisify(execFile);
const HOUR = 3_600_000;
const suffix = uniqueSuffix();
const year = 1975 + Math.floor(Math.random() * 30);
const month = Math.floor(Math.random() * 12);
const T0 = Date.UTC(year, month, 10);
const T1 = T0 + 12 * HOUR;
const itemBase = 8_000_000_000 + Math.floor(Math.random() * 1e6) * 100;
const userPrefix = `dq-it-${suffix}-`;
const OUTLIER_ID = String(itemBase + 99);
const FUTURE_EVENT = `${userPrefix}future`;
const GAP_HOURS = [5, 6, 7];

const dateTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface Interaction {
  event_id: string;
  user_id: string;
  item_id: number;
  action: string;
  event_time_ms: number;
  source: string;
  ingest_time_ms: number;
  price: number | null;
  quantity: number | null;
}

/** 3 interactions and 1 exposure in every hour but the gap, 2 re-delivered interactions, 1 future-dated one. */
function plantedEvents(): { interactions: Interaction[]; exposures: Record<string, unknown>[] } {
  const interactions: Interaction[] = [];
  const exposures: Record<string, unknown>[] = [];
  for (let hour = 0; hour < 12; hour += 1) {
    if (GAP_HOURS.includes(hour)) continue;
    for (let index = 0; index < 3; index += 1) {
      const eventTime = T0 + hour * HOUR + index * 600_000 + 1_000;
      interactions.push({ event_id: `${userPrefix}e${hour}-${index}`, user_id: `${userPrefix}u${index}`, item_id: itemBase + ((hour * 3 + index) % 10), action: index === 2 ? 'click' : 'view', event_time_ms: eventTime, source: index === 2 ? 'shop' : 'matomo', ingest_time_ms: eventTime + 2_000, price: null, quantity: null });
    }
    const exposureTime = T0 + hour * HOUR + 30 * 60_000;
    exposures.push({ request_id: `${userPrefix}r${hour}`, user_id: `${userPrefix}u0`, event_time_ms: exposureTime, scene: 'home', degraded_reasons: [], feature_names: [], 'items.item_id': [itemBase], 'items.position': [0], 'items.channel': ['popular'], 'items.score': [0.5], 'items.features': [[]], 'items.shown': [1], ingest_time_ms: exposureTime + 10 });
  }
  // re-delivered by an at-least-once upstream: same key, a later ingest version
  const redelivered = interactions.slice(0, 2).map((event) => ({ ...event, ingest_time_ms: event.ingest_time_ms + 60_000 }));
  // produced an hour before it happened
  const futureTime = T0 + 3 * HOUR + 45 * 60_000;
  const future = { event_id: FUTURE_EVENT, user_id: `${userPrefix}u9`, item_id: itemBase + 1, action: 'view', event_time_ms: futureTime, source: 'matomo', ingest_time_ms: futureTime - HOUR, price: null, quantity: null };
  return { interactions: [...interactions, ...redelivered, future], exposures };
}

function plantedCatalogue(): { items: Record<string, unknown>[]; users: Record<string, unknown>[]; orders: Record<string, unknown>[]; orderItems: Record<string, unknown>[] } {
  const changed = dateTime(T0 + HOUR);
  const item = (offset: number, price: number) => ({ id: itemBase + offset, title: `dq test ${offset}`, description: 'd', tags: ['t'], industry: 'finance', price, status: 'listed', available: 1, deleted: 0, created_at: changed, updated_at: changed, source_version: 1 });
  return {
    // 20 prices 10, 12, …, 48 and one at 99,999 (id itemBase + 99)
    items: [...Array.from({ length: 20 }, (_, index) => item(index, 10 + 2 * index)), item(99, 99_999)],
    users: [0, 1].map((index) => ({ id: itemBase + index, industry: 'finance', country: 'DE', created_at: changed, updated_at: changed, source_version: 1 })),
    orders: [0, 1].map((index) => ({ id: itemBase + index, user_id: `${userPrefix}u${index}`, status: 'paid', total_amount: 20, currency: 'EUR', created_at: changed, paid_at: changed, updated_at: changed, source_version: 1 })),
    orderItems: [0, 1].map((index) => ({ id: itemBase + index, order_id: itemBase + index, item_id: itemBase + index, price: 20, quantity: 1, source_version: 1 })),
  };
}

interface CheckJson {
  name: string;
  value: number | null;
  verdict: string;
}
interface ReportJson {
  runId: string;
  status: string;
  score: number;
  checks: CheckJson[];
  data: { prices: { outliers: { id: string }[] }; delays: { future: { table: string; samples: { id: string }[] }[] }; tables: { table: string; rows: number; rowsFinal: number }[]; eventsPerHour: { completeness: { gaps: { fromMs: number; hours: number }[] } } };
}

async function runDq(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', 'jobs/dq/src/cli.ts', ...args], { cwd: repoRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('data-quality job (npm run dq)', () => {
  let clickhouse: ClickHouseClient;
  let dir: string;
  let configFile: string;
  const runIds: string[] = [];

  beforeAll(async () => {
    clickhouse = createClickHouse();
    dir = await mkdtemp(join(tmpdir(), 'dq-it-'));
    // The repository's thresholds, with the catalogue scoped to the window so only the planted items count.
    const settings = parse(await readFile(join(repoRoot, 'config', 'data-quality.yaml'), 'utf8')) as { catalogue: { scope: string } };
    settings.catalogue.scope = 'window';
    configFile = join(dir, 'data-quality.yaml');
    await writeFile(configFile, stringify(settings));
    const { interactions, exposures } = plantedEvents();
    const { items, users, orders, orderItems } = plantedCatalogue();
    // One insert per table: one part per partition, so no background merge collapses the planted duplicates.
    await clickhouse.insert({ table: 'streamrec.interactions', values: interactions, format: 'JSONEachRow' });
    await clickhouse.insert({ table: 'streamrec.exposures', values: exposures, format: 'JSONEachRow' });
    await clickhouse.insert({ table: 'streamrec.items', values: items, format: 'JSONEachRow' });
    await clickhouse.insert({ table: 'streamrec.users', values: users, format: 'JSONEachRow' });
    await clickhouse.insert({ table: 'streamrec.orders', values: orders, format: 'JSONEachRow' });
    await clickhouse.insert({ table: 'streamrec.order_items', values: orderItems, format: 'JSONEachRow' });
  });

  afterAll(async () => {
    const ids = `${itemBase} AND ${itemBase + 99}`;
    const mutations = [
      `ALTER TABLE streamrec.interactions DELETE WHERE startsWith(user_id, '${userPrefix}')`,
      `ALTER TABLE streamrec.exposures DELETE WHERE startsWith(user_id, '${userPrefix}')`,
      `ALTER TABLE streamrec.items DELETE WHERE id BETWEEN ${ids}`,
      `ALTER TABLE streamrec.users DELETE WHERE id BETWEEN ${ids}`,
      `ALTER TABLE streamrec.orders DELETE WHERE id BETWEEN ${ids}`,
      `ALTER TABLE streamrec.order_items DELETE WHERE id BETWEEN ${ids}`,
      // the daily views were fed by the inserts; nothing else lives on that day
      `ALTER TABLE streamrec.interactions_daily DELETE WHERE event_date = toDate('${day(T0)}')`,
      `ALTER TABLE streamrec.exposures_daily DELETE WHERE event_date = toDate('${day(T0)}')`,
      ...runIds.map((runId) => `ALTER TABLE streamrec.dq_runs DELETE WHERE run_id = '${runId}'`),
    ];
    for (const query of mutations) await clickhouse.command({ query });
    await waitFor(
      async () => {
        const result = await clickhouse.query({ query: `SELECT count() AS n FROM streamrec.interactions WHERE startsWith(user_id, '${userPrefix}')`, format: 'JSONEachRow' });
        return Number((await result.json<{ n: string }>())[0]?.n) === 0;
      },
      { timeoutMs: 60_000, description: 'the planted rows to be deleted' },
    );
    await clickhouse.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('flags exactly the planted problems: a gap, duplicates, a price outlier and a future-dated event', async () => {
    const out = join(dir, 'run');
    const result = await runDq(['run', '--out-dir', out, '--config', configFile, '--since', new Date(T0).toISOString(), '--until', new Date(T1).toISOString()]);
    expect(result.code, result.stderr.slice(-3000)).toBe(1);
    expect(result.stderr).toContain('[dq +');
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as ReportJson;
    runIds.push(report.runId);
    const flagged = Object.fromEntries(report.checks.filter((check) => check.verdict !== 'pass').map((check) => [check.name, check.verdict]));
    expect(flagged).toEqual({ completeness_gaps: 'fail', duplicates_interactions: 'fail', price_outliers: 'warn', future_events: 'warn' });
    const value = (name: string): number | null | undefined => report.checks.find((check) => check.name === name)?.value;
    expect(value('completeness_gaps')).toBe(3);
    expect(report.data.eventsPerHour.completeness.gaps).toEqual([{ fromMs: T0 + 5 * HOUR, hours: 3 }]);
    expect(report.data.tables.find((table) => table.table === 'interactions')).toMatchObject({ rows: 30, rowsFinal: 28 });
    expect(value('duplicates_interactions')).toBeCloseTo(2 / 30, 10);
    expect(report.data.prices.outliers.map((outlier) => outlier.id)).toEqual([OUTLIER_ID]);
    expect(value('price_outliers')).toBeCloseTo(1 / 21, 10);
    expect(value('future_events')).toBe(1);
    expect(report.data.delays.future.find((table) => table.table === 'interactions')?.samples.map((sample) => sample.id)).toEqual([FUTURE_EVENT]);
    // the planted window holds 28 distinct interactions + 2 duplicates and 9 exposures
    expect(value('event_volume')).toBe(39);
    expect(report.status).toBe('failed');
    expect(result.stdout).toMatch(/score \d+\.\d\/100, failed/);
    expect(result.stdout).toContain('FAIL completeness_gaps');

    expect((await stat(join(out, 'report.html'))).size).toBeGreaterThan(10_000);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain(OUTLIER_ID);
    const metrics = await readFile(join(out, 'metrics.prom'), 'utf8');
    const promtool = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let promtoolOutput = '';
    promtool.stdout.on('data', (chunk: Buffer) => (promtoolOutput += chunk.toString()));
    promtool.stderr.on('data', (chunk: Buffer) => (promtoolOutput += chunk.toString()));
    const promtoolExit = new Promise<number | null>((resolve) => promtool.once('exit', resolve));
    promtool.stdin.end(metrics);
    expect(await promtoolExit, promtoolOutput).toBe(0);
    expect(metrics).toContain('dq_check_status{suite="pipeline",check="completeness_gaps"} 2');
    expect(metrics).toContain(`dq_score{suite="pipeline"} ${report.score}`);

    const rows = await (await clickhouse.query({ query: `SELECT status, length(checks.name) AS checks, checks.passed[indexOf(checks.name, 'duplicates_interactions')] AS dup_passed, window_from FROM streamrec.dq_runs WHERE run_id = '${report.runId}'`, format: 'JSONEachRow' })).json<Record<string, unknown>>();
    expect(rows).toEqual([{ status: 'failed', checks: String(report.checks.length), dup_passed: 0, window_from: dateTime(T0) }]);
  });

  it('loops: serves /metrics after a run, keeps a timestamped copy and stops cleanly on SIGTERM', async () => {
    const out = join(dir, 'latest');
    const history = join(dir, 'runs');
    const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/dq/src/cli.ts', 'loop', '--every', '1h', '--port', '0', '--out-dir', out, '--history-dir', history, '--config', configFile, '--no-record'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await waitFor(() => /"metrics":"127\.0\.0\.1:(\d+)"/.exec(stderr)?.[1], { timeoutMs: 30_000, description: 'the loop to log its /metrics address' });
      const metrics = await waitFor(
        async () => {
          const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
          return text.includes('dq_last_run_timestamp_seconds') ? text : undefined;
        },
        { timeoutMs: 60_000, description: 'the first run on /metrics' },
      );
      expect(metrics).toContain('dq_last_attempt_success{suite="pipeline"} 1');
      expect(metrics).toMatch(/^dq_score\{suite="pipeline"\} \d/m);
      await waitFor(() => stdout.includes('data quality pipeline'), { timeoutMs: 10_000, description: 'the summary on stdout' });
      const copies = await readdir(history);
      expect(copies).toHaveLength(1);
      expect(copies[0]).toMatch(/^dq-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('data-quality loop stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
