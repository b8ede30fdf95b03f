/**
 * The right to erasure on the real local system (issue 15, item 9): the processors and the API started
 * by infra/local/system.sh, a user with shop and Matomo activity flowing through the whole pipeline, then
 * `npm run erase -- --user ID` as an operator runs it. The test then reads every Redis key and every
 * String column of ClickHouse itself (it does not trust the command's idea of where people are kept),
 * the compacted users topic and the API's saved answers; then writes new rows naming the person and
 * shows nothing of them comes back, while another user's data is untouched throughout.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Redis } from 'ioredis';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyedVisitorPseudonym } from '@streamrec/normalize/app';
import { erasureToken } from '@streamrec/streams-common/adapters';
import { createClickHouse } from '../helpers/clickhouse.js';
import { searchClickHouse, searchRedis } from '../helpers/identifier-search.js';
import { writeFavorite, writeMatomoRows, writeShopRows, type ShopRows } from '../helpers/normalize-rows.js';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { runCommand } from '../helpers/run-command.js';
import { connectMariaDb, createKafka, repoRoot, stackEnv, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const pseudonymKey = stackEnv['STREAMREC_VISITOR_PSEUDONYM_KEY'] ?? '';
const apiUrl = `http://127.0.0.1:${stackEnv['STREAMREC_API_PORT'] ?? '18080'}`;
const apiKey = stackEnv['STREAMREC_API_KEY_DEV'] ?? '';
const normalizeMetricsUrl = 'http://127.0.0.1:19101/metrics';

let shop: Connection;
let matomo: Connection;
let redis: Redis;
let clickhouse: ClickHouseClient;

beforeAll(async () => {
  const up = await runCommand(['bash', 'infra/local/system.sh', 'up'], 1_500_000);
  expect(up.code, up.output.slice(-2000)).toBe(0);
  shop = await connectMariaDb('shop');
  matomo = await connectMariaDb('matomo');
  redis = createRedis();
  clickhouse = createClickHouse();
}, 1_600_000);

afterAll(async () => {
  await shop.end();
  await matomo.end();
  redis.disconnect();
  await clickhouse.close();
  await runCommand(['bash', 'infra/local/system.sh', 'down'], 300_000);
}, 320_000);

async function interactionsOf(user: string): Promise<number> {
  const rows = await (await clickhouse.query({ query: `SELECT count() AS n FROM streamrec.interactions WHERE user_id = '${user}'`, format: 'JSONEachRow' })).json<{ n: string }>();
  return Number(rows[0]?.n ?? 0);
}

async function erasedRows(): Promise<number> {
  const text = await (await fetch(normalizeMetricsUrl)).text();
  const line = text.split('\n').find((entry) => entry.startsWith('normalize_erased_total{') && entry.includes('what="row"'));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/** The last record of a key on events.users.v1, read from the beginning (null value: a tombstone). */
async function lastUserRecord(user: string): Promise<{ value: Buffer | null } | undefined> {
  const kafka = createKafka(`erasure-test-${uniqueSuffix()}`);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets('events.users.v1');
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `test-erasure-users-${uniqueSuffix()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['events.users.v1'], fromBeginning: true });
  let last: { value: Buffer | null } | undefined;
  const remaining = new Map(ends.filter(({ high, low }) => BigInt(high) > BigInt(low)).map(({ partition, high }) => [partition, BigInt(high)]));
  await new Promise<void>((resolve) => {
    if (remaining.size === 0) resolve();
    void consumer.run({
      eachMessage: ({ partition, message }) => {
        if (message.key?.toString() === user) last = { value: message.value };
        if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
        if (remaining.size === 0) resolve();
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return last;
}

describe('npm run erase (the real local system)', () => {
  let person: ShopRows;
  let other: ShopRows;
  let user: string;
  let visitor: string;
  let pseudonym: string;

  it('a user’s activity reaches Redis, ClickHouse and the API first (and another user’s, kept throughout)', async () => {
    const suffix = uniqueSuffix();
    // Ids of ten digits, so that a whole-token search for them cannot meet an item id, an event id or a count.
    const tenDigits = (): number => 7_000_000_000 + Math.floor(Math.random() * 999_999_999);
    person = await writeShopRows(shop, `erase-${suffix}`, { userId: tenDigits() });
    other = await writeShopRows(shop, `keep-${suffix}`, { userId: tenDigits() });
    user = String(person.userId);
    ({ visitor } = await writeMatomoRows(matomo, person.datasetId, person.userId));
    await writeMatomoRows(matomo, other.datasetId, other.userId);
    pseudonym = keyedVisitorPseudonym(pseudonymKey)(visitor);
    await waitFor(async () => (await interactionsOf(user)) >= 4 && (await interactionsOf(String(other.userId))) >= 4, { timeoutMs: 120_000, description: 'both users’ interactions in ClickHouse' });
    await waitFor(async () => (await scanKeys(redis, `sr:*:user:${user}:*`)).length > 0, { timeoutMs: 60_000, description: 'the user’s features in Redis' });
    // A full-path answer is what the API keeps as the user's last answer.
    await waitFor(
      async () => {
        const response = await fetch(`${apiUrl}/v1/recommendations?user_id=${user}&limit=5`, { headers: { 'x-api-key': apiKey } });
        return response.ok && !((await response.json()) as { degraded: boolean }).degraded;
      },
      { timeoutMs: 60_000, description: 'an answer for the user that is not degraded' },
    );
    const before = [...(await searchRedis(redis, [user, pseudonym])), ...(await searchClickHouse(clickhouse, 'streamrec', [user, pseudonym]))];
    expect(before.some((finding) => finding.store === 'redis' && finding.needle === user)).toBe(true);
    expect(before.some((finding) => finding.store === 'clickhouse' && finding.needle === user)).toBe(true);
    expect(before.some((finding) => finding.needle === pseudonym)).toBe(true);
  }, 400_000);

  it('erases them: nothing of the user or their visitor is left in Redis, ClickHouse, the users topic or the API, and the run is audited without naming them', async () => {
    const erase = await runCommand(['npx', '--no-install', 'tsx', 'jobs/erase/src/cli.ts', '--user', user, '--ticket', 'TEST-ERASE-1', '--operator', 'erasure-test'], 600_000);
    expect(erase.code, erase.output).toBe(0);
    expect(erase.output).toContain('1 linked visitor(s)');
    expect(erase.output).toContain('api: 1 last answer(s) forgotten');
    expect(erase.output).toContain('search: nothing of the user is left');

    expect(await searchRedis(redis, [user, pseudonym])).toEqual([]);
    expect(await searchClickHouse(clickhouse, 'streamrec', [user, pseudonym])).toEqual([]);
    expect(await lastUserRecord(user)).toEqual({ value: null });
    const answers = await readFile(join(repoRoot, '.stack', 'api', 'last-answers.json'), 'utf8');
    expect(answers).not.toContain(`"${user}"`);

    const audit = await (
      await clickhouse.query({ query: `SELECT outcome, ticket, operator, visitors, remaining, dry_run FROM streamrec.erasures WHERE subject_token = '${erasureToken(pseudonymKey, user)}'`, format: 'JSONEachRow' })
    ).json<Record<string, unknown>>();
    expect(audit).toEqual([{ outcome: 'complete', ticket: 'TEST-ERASE-1', operator: 'erasure-test', visitors: 1, remaining: '0', dry_run: 0 }]);

    // The other user is untouched.
    expect(await interactionsOf(String(other.userId))).toBeGreaterThanOrEqual(4);
    expect((await scanKeys(redis, `sr:*:user:${other.userId}:*`)).length).toBeGreaterThan(0);
  }, 700_000);

  it('keeps them out: new rows naming the user or their visitor are dropped by normalize, while the other user’s still flow', async () => {
    const droppedBefore = await erasedRows();
    await writeFavorite(shop, person.userId, other.datasetId);
    const [visits] = await matomo.execute<RowDataPacket[]>('SELECT idvisit FROM matomo_log_visit WHERE idvisitor = UNHEX(?)', [visitor]);
    const [pages] = await matomo.execute<RowDataPacket[]>('SELECT idaction FROM matomo_log_action WHERE name = ? AND type = 1', [`market.example.com/datasets/${person.datasetId}`]);
    await matomo.execute('INSERT INTO matomo_log_link_visit_action (idsite, idvisitor, idvisit, server_time, idaction_url, pageview_position) VALUES (1, UNHEX(?), ?, UTC_TIMESTAMP(), ?, 2)', [
      visitor,
      (visits[0] as { idvisit: number }).idvisit,
      (pages[0] as { idaction: number }).idaction,
    ]);
    const otherBefore = await interactionsOf(String(other.userId));
    await writeFavorite(shop, other.userId, person.datasetId);

    await waitFor(async () => (await erasedRows()) >= droppedBefore + 2, { timeoutMs: 120_000, description: 'normalize dropping the two new rows of the erased user' });
    await waitFor(async () => (await interactionsOf(String(other.userId))) > otherBefore, { timeoutMs: 120_000, description: 'the other user’s new favourite in ClickHouse' });
    // Let every processor consume what normalize published meanwhile: a dry run waits for them and counts.
    const check = await runCommand(['npx', '--no-install', 'tsx', 'jobs/erase/src/cli.ts', '--user', user, '--dry-run'], 300_000);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toContain('processors: caught up');
    expect(await searchRedis(redis, [user, pseudonym])).toEqual([]);
    expect(await searchClickHouse(clickhouse, 'streamrec', [user, pseudonym])).toEqual([]);
  }, 700_000);
});
