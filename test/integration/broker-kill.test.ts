/**
 * Integration (the local stack's Kafka and Redis): the broker is killed with SIGKILL while a producer
 * publishes interactions and the real features process consumes them, then started again by the stack
 * script. The producer re-sends whatever was not acknowledged (idempotent, acks=all; a send that failed may
 * still have landed: a re-sent record is a duplicate at a new offset). Afterwards every item count equals
 * the distinct events per item of the generated data: no acknowledged record lost, none counted twice.
 * The processor comes back by itself (kafkajs reconnects, or the loop restarts a consumer kafkajs gave up on).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateVersion } from '@streamrec/foundation';
import { FeaturesRun } from '../helpers/features-run.js';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { killStackBroker, stackScript } from '../helpers/stack-broker.js';

const suffix = uniqueSuffix();
const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const kafka = createKafka('test-broker-kill');
let admin: Admin;
let redis: Redis;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  redis = createRedis();
});

afterAll(async () => {
  // The broker must be back for the files after this one, whatever happened here.
  const up = await stackScript('up', 'kafka');
  if (up.code !== 0) console.error(up.output.slice(-2000));
  await admin.disconnect().catch(() => undefined);
  const keys = await scanKeys(redis, `sr:${version}:*`);
  for (let start = 0; start < keys.length; start += 1_000) await redis.del(...keys.slice(start, start + 1_000));
  await redis.quit();
}, 600_000);

describe('the broker killed with SIGKILL while producers and processors run', () => {
  it('loses no acknowledged record and counts none twice: every item count equals the distinct events per item', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'broker-kill-')), 'features.log');
    const run = new FeaturesRun(kafka, admin, redis, { tag: `bk-${suffix}`, version, events: 24_000, seed: 11, logFile });
    let failedSends = 0;
    try {
      await run.prepare();
      await run.sendChunk(0, 2);
      run.process.start();
      await run.caughtUp('the first half');

      // The second half is published while the broker dies a third of the way in and is started again.
      let killed: Promise<void> | undefined;
      const restarted = { done: false };
      await run.sendChunk(1, 2, {
        perSend: 500,
        onSent: (sent) => {
          if (killed === undefined && sent >= 4_000) {
            killed = (async () => {
              await killStackBroker();
              const up = await stackScript('up', 'kafka');
              expect(up.code, up.output.slice(-2000)).toBe(0);
              restarted.done = true;
            })();
          }
        },
        onFailure: async () => {
          failedSends += 1;
          await sleep(1_000);
          return true;
        },
      });
      expect(killed).toBeDefined();
      await killed;
      expect(restarted.done).toBe(true);
      await run.caughtUp('every interaction', 600_000);

      const counts = await run.countDifferences();
      console.log(`broker-kill: ${failedSends} failed sends re-sent; ${counts.total} events counted`);
      expect(counts.wrong.slice(0, 10)).toEqual([]);
      expect(counts.total).toBe(counts.expectedTotal);
      expect(run.process.crashed).toBeUndefined();
    } finally {
      await run.cleanup();
    }
  }, 1_200_000);
});
