/**
 * Integration (needs the local stack's Kafka and Redis: `npm run setup`): the replay CLI on test-owned
 * topics and a test-owned active-version pointer (so the shared `sr:active-version` is never touched).
 * The three processors build v_live in-process; `replay build` rebuilds the same input into v_new with
 * the real processes; `compare` finds them equal (and different once one value is changed); `switch`
 * flips the pointer by compare-and-set while a reader loop sees only the old or the new version;
 * `drop` refuses the active version and deletes the old one.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Partitioners, type Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { offsetsKey, parseStateVersion } from '@streamrec/foundation';
import { readActiveVersion } from '@streamrec/foundation/redis';
import { type RunningProcess } from '@streamrec/foundation/process';
import { itemActivityTopic, userIdOf } from '@streamrec/streams-common';
import { startFeatures } from '@streamrec/features/app';
import { parseFeaturesConfig } from '@streamrec/features/app';
import { startCooccurrence } from '@streamrec/cooccurrence/app';
import { parseCooccurrenceConfig } from '@streamrec/cooccurrence/app';
import { startTrending } from '@streamrec/trending/app';
import { parseTrendingConfig } from '@streamrec/trending/app';
import { userFeatureKeys } from '@streamrec/features';
import { switchActiveVersion } from '@streamrec/replay/app';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { createKafka, kafkaAdminVariables, repoRoot, uniqueSuffix } from '../helpers/stack.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { createStreamTopics, sendCatalogue, sendInteractions, streamTopicsFor, testCatalogueItem, testInteraction } from '../helpers/stream-topics.js';
import { waitFor } from '../helpers/wait-for.js';
import { stageGroupId, stageOf } from '@streamrec/streams-common';
import { trendingManifest } from '@streamrec/trending';

const suffix = uniqueSuffix();
const topics = streamTopicsFor(`replay.${suffix}`);
// No itemActivity: every version uses its own item-activity topic (itemActivityTopic), as in production.
const sourceTopics = { interactions: topics.interactions, items: topics.items, exposures: topics.exposures, users: topics.users };
const versionNumber = 900_000 + Math.floor(Math.random() * 90_000);
const live = parseStateVersion(`v${versionNumber}`);
const rebuilt = parseStateVersion(`v${versionNumber + 1}`);
const rerun = parseStateVersion(`v${versionNumber + 2}`);
const pointerKey = `sr:test-active-version:${suffix}`;
const groupVersion = `replay-live-${suffix}`;
const kafka = createKafka('test-replay');
const firstItem = 8_200_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
const base = Date.now() - 3_600_000;
let redis: Redis;
let producer: Producer;
let logDir: string;

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function replayCli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'jobs', 'replay', 'src', 'cli.ts'), ...args],
      { cwd: repoRoot, env: { ...process.env, ...kafkaAdminVariables, STREAMREC_REPLAY_ACTIVE_VERSION_KEY: pointerKey, STREAMREC_LOG_LEVEL: 'warn' }, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

async function endOffsets(topic: string): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, Number(high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Every stage field has stored offset end − 1 on every non-empty partition of its topic. */
async function caughtUp(fields: readonly string[], topic: string): Promise<boolean> {
  for (const [partition, end] of await endOffsets(topic)) {
    if (end === 0) continue;
    for (const field of fields) if ((await redis.hget(offsetsKey(live, partition), field)) !== String(end - 1)) return false;
  }
  return true;
}

async function relayDone(): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: stageGroupId(trendingManifest, stageOf(trendingManifest, 'catalogue'), groupVersion), topics: [topics.items] });
    const ends = await endOffsets(topics.items);
    return [...ends].every(([partition, end]) => end === 0 || committed?.partitions.find((entry) => entry.partition === partition)?.offset === String(end));
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'replay-test-'));
  redis = createRedis();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await createStreamTopics(kafka, topics);
  const items = [0, 1, 2, 3, 4].map((n) => testCatalogueItem(firstItem + n, n % 2 === 0 ? 'finance' : 'energy', [`tag-${n % 3}`, 'shared'], base));
  await sendCatalogue(producer, topics.items, items);
  const actions = ['view', 'click', 'view', 'favorite', 'cart', 'purchase', 'view', 'download'] as const;
  const interactions = Array.from({ length: 120 }, (_, n) =>
    testInteraction(suffix, n, userIdOf(`it-replay-${suffix}-${n % 7}`), firstItem + ((n * 3) % 5), actions[n % actions.length] ?? 'view', base + n * 20_000),
  );
  // Two halves with record times half an hour apart, so `rerun --from-timestamp` can start in between.
  await sendInteractions(producer, topics.interactions, interactions.slice(0, 60), base);
  await sendInteractions(producer, topics.interactions, interactions.slice(60), base + 1_800_000);
});

afterAll(async () => {
  await producer.disconnect();
  const groups = ['features-user', 'features-item', 'cooccurrence-user', 'cooccurrence-item', 'trending-item', 'trending-catalogue'].map((group) => `${group}-${groupVersion}`);
  await cleanUpProcessTest(kafka, redis, { groups, topics: [topics.interactions, topics.items, topics.itemActivity, topics.exposures, topics.users], version: live });
  await cleanUpProcessTest(kafka, redis, { groups: [], version: rebuilt });
  await cleanUpProcessTest(kafka, redis, { groups: [], version: rerun });
  await redis.del(pointerKey);
  await redis.quit();
  await rm(logDir, { recursive: true, force: true });
});

describe('the replay CLI', () => {
  it('builds a second version equal to the live one, switches readers atomically and drops the old version', { timeout: 420_000 }, async () => {
    // 1. The live pass: the three processors in-process into v_live, until every stage caught up.
    const shared = { ...processTestConfig('replay', { suffix, version: live, groupVersion }), startFrom: 'earliest', topics: sourceTopics };
    const log = pino({ level: 'silent' });
    const processes: RunningProcess[] = [];
    try {
      processes.push(await startFeatures(parseFeaturesConfig(shared), log));
      processes.push(await startCooccurrence(parseCooccurrenceConfig({ ...shared, topics: { interactions: topics.interactions } }), log));
      processes.push(await startTrending(parseTrendingConfig({ ...shared, topics: { items: topics.items } }), log));
      const userFields = ['features-user/events.interactions.v1', 'cooccurrence/events.interactions.v1'];
      const itemFields = ['features-item/repartition.item-activity.v1', 'cooccurrence/repartition.item-activity.v1', 'trending-item/repartition.item-activity.v1'];
      await waitFor(async () => (await caughtUp(userFields, topics.interactions)) && (await caughtUp(itemFields, itemActivityTopic(live))), {
        timeoutMs: 120_000,
        intervalMs: 500,
        description: 'the live pass caught up',
      });
      // The catalogue relay's availability records reach the repartition topic on their own clock: wait for
      // its group to have committed the whole items topic, then for the item stages again.
      await waitFor(async () => (await relayDone()) && (await caughtUp(itemFields, itemActivityTopic(live))), {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: 'activity and availability records applied',
      });
    } finally {
      for (const running of processes) await running.stop();
    }
    const liveKeys = (await scanKeys(redis, `sr:${live}:*`)).length;
    expect(liveKeys).toBeGreaterThan(50);

    const first = await replayCli('switch', '--to', live);
    expect(first.stdout).toContain(`active version: v1 → ${live}`);

    // 2. The build: the real processes into v_new, with progress lines, writing its own item-activity topic.
    const liveActivity = await endOffsets(itemActivityTopic(live));
    const sharing = await replayCli('build', '--to', rebuilt, '--topics', JSON.stringify({ ...sourceTopics, itemActivity: itemActivityTopic(live) }));
    expect(sharing.code).toBe(1);
    expect(sharing.stderr).toMatch(/would write into the active version's item-activity topic/);
    const build = await replayCli('build', '--to', rebuilt, '--topics', JSON.stringify(sourceTopics), '--interval', '1', '--timeout', '300', '--log-dir', logDir);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/source stages: [\d,]+ \/ [\d,]+ records \(100\.0%\).*done/);
    expect(build.stdout).toMatch(/repartition stages: [\d,]+ \/ [\d,]+ records \(100\.0%\).*done/);
    expect(build.stdout).toContain(`compare with: npm run replay -- compare --a ${live} --b ${rebuilt}`);
    expect(await endOffsets(itemActivityTopic(live))).toEqual(liveActivity); // the live topic got nothing
    expect([...(await endOffsets(itemActivityTopic(rebuilt))).values()].reduce((sum, end) => sum + end, 0)).toBeGreaterThan(0);
    const again = await replayCli('build', '--to', rebuilt, '--topics', JSON.stringify(sourceTopics));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/REC_STATE_VERSION_CONFLICT: .* already has \d+ keys; pass --force/);
    expect((await replayCli('build', '--to', live)).stderr).toMatch(/is the active version/);

    // 3. Compare: equal; a changed value makes it different (exit 1).
    const equal = await replayCli('compare', '--a', live, '--b', rebuilt);
    expect(equal.stdout).toMatch(/EQUAL/);
    expect(equal.code).toBe(0);
    expect(equal.stdout).toMatch(/user:counts\s+\d+\s+0\s+0\s+0/);
    const victim = userFeatureKeys({ version: rebuilt, userPartitions: 6, itemPartitions: 6 }, userIdOf(`it-replay-${suffix}-0`)).counts;
    await redis.hincrby(victim, 'view', 1);
    const different = await replayCli('compare', '--a', live, '--b', rebuilt);
    expect(different.code).toBe(1);
    expect(different.stdout).toMatch(/user:counts\s+\d+\s+1\s+0\s+0/);
    expect(different.stdout).toMatch(/DIFFERENT/);
    await redis.hincrby(victim, 'view', -1);

    // 4. Switch while a reader resolves the version in a loop: it sees only the old or the new one.
    const reader = createRedis();
    const seen = new Set<string>();
    let reading = true;
    const loop = (async () => {
      while (reading) seen.add(await readActiveVersion(reader, pointerKey));
    })();
    const switched = await replayCli('switch', '--to', rebuilt, '--expect', live);
    await waitFor(() => seen.has(rebuilt), { timeoutMs: 5_000, intervalMs: 10, description: 'the reader sees the new version' });
    reading = false;
    await loop;
    await reader.quit();
    expect(switched.code).toBe(0);
    expect(switched.stdout).toContain(`active version: ${live} → ${rebuilt}`);
    expect([...seen].sort()).toEqual([live, rebuilt].sort());
    const stale = await replayCli('switch', '--to', live, '--expect', live);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/REC_STATE_VERSION_CONFLICT: switch refused: the active version is v\d+, not/);
    // Two concurrent compare-and-sets from the same expected value: exactly one wins.
    const race = await Promise.all([switchActiveVersion(redis, pointerKey, live, rebuilt), switchActiveVersion(redis, pointerKey, parseStateVersion('v1'), rebuilt)]);
    expect(race.filter((result) => result.switched)).toHaveLength(1);
    const winner = race[0].switched ? live : 'v1';
    expect(await readActiveVersion(redis, pointerKey)).toBe(winner);
    await switchActiveVersion(redis, pointerKey, rebuilt, parseStateVersion(winner));

    // 5. Status and drop: the active version is refused, the old one goes.
    const status = await replayCli('status');
    expect(status.stdout).toContain(`active version: ${rebuilt}`);
    expect(status.stdout).toMatch(new RegExp(`${rebuilt} \\(active\\): \\d+ keys`));
    const refused = await replayCli('drop', '--version', rebuilt);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/drop refused: .* is the active version/);
    const dropped = await replayCli('drop', '--version', live);
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain(`dropped ${live}: ${liveKeys} keys deleted, topic ${itemActivityTopic(live)} deleted`);
    expect(await scanKeys(redis, `sr:${live}:*`)).toEqual([]);
  });

  it('re-runs one processor from a timestamp into another version', { timeout: 240_000 }, async () => {
    const result = await replayCli('rerun', '--processor', 'features', '--from-timestamp', new Date(base + 900_000).toISOString(), '--version', rerun, '--topics', JSON.stringify(sourceTopics), '--interval', '1', '--log-dir', logDir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/source stages: 60 \/ 60 records \(100\.0%\).*done/);
    let total = 0;
    for (let user = 0; user < 7; user += 1) {
      const counts = await redis.hgetall(userFeatureKeys({ version: rerun, userPartitions: 6, itemPartitions: 6 }, userIdOf(`it-replay-${suffix}-${user}`)).counts);
      total += Object.values(counts).reduce((sum, count) => sum + Number(count), 0);
    }
    expect(total).toBe(60); // only the second half of the interactions
    expect((await scanKeys(redis, `sr:${rerun}:*:cooc-window`)).length).toBe(0); // one processor only
  });

  // Last: it deletes the first records of the test's interactions topic.
  it('refuses to build from offset 0 once retention deleted the first records of a source, before writing anything', { timeout: 120_000 }, async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [partition, end] = [...(await endOffsets(topics.interactions))].find(([, high]) => high > 1) ?? [];
      expect(end).toBeGreaterThan(1);
      await admin.fetchTopicMetadata({ topics: [topics.interactions] }); // deleteTopicRecords needs the admin's metadata of the topic
      await admin.deleteTopicRecords({ topic: topics.interactions, partitions: [{ partition: partition!, offset: '1' }] });
    } finally {
      await admin.disconnect();
    }
    const target = parseStateVersion(`v${versionNumber + 3}`);
    const result = await replayCli('build', '--to', target, '--topics', JSON.stringify(sourceTopics), '--timeout', '60', '--log-dir', logDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`REC_SOURCE_HISTORY_DELETED: cannot build from offset 0: ${topics.interactions} partition `);
    expect(result.stderr).toContain('lost their first records to retention');
    expect(result.stdout).not.toContain('started ');
    expect(await scanKeys(redis, `sr:${target}:*`)).toEqual([]);
  });
});
