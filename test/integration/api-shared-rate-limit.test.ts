// Integration (the local stack): with `http.sharedRateLimit`, API instances count a key's requests together
// in Redis, so N replicas do not allow N times the limit; with Redis unreachable the requests are let
// through (the limit is skipped, never the answer refused). The world's API is one instance; a second app
// on the same services, with its own Redis connection, is the other.
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@streamrec/api/app';
import { startApiWorld, worldKeys, type ApiWorld } from '../helpers/api-world.js';
import { stackEnv } from '../helpers/stack.js';
import { redisAs } from '../helpers/redis.js';

const COUNTER = 'sr:ratelimit:tiny';
let world: ApiWorld;
let second: FastifyInstance;
let secondRedis: Redis;

beforeAll(async () => {
  // A generous timeout: a count slower than it is skipped by design, and this machine's Redis is busy.
  world = await startApiWorld({ http: { sharedRateLimit: true, sharedRateLimitTimeoutMs: 5_000 } });
  const host = stackEnv['STREAMREC_HOST'] ?? '127.0.0.1';
  secondRedis = new Redis({ ...redisAs('api'), host, port: world.redisProxy.port, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 5_000, retryStrategy: (attempt) => Math.min(attempt * 100, 1_000) });
  secondRedis.on('error', () => undefined);
  second = await buildApp(world.api.services, { rateLimitRedis: secondRedis });
  await world.redis.del(COUNTER);
});

afterAll(async () => {
  await second?.close();
  secondRedis?.disconnect();
  await world?.redis.del(COUNTER);
  await world?.stop();
});

const viaWorld = async (): Promise<number> => (await world.get('/v1/recommendations?user_id=shared', worldKeys.limited)).status;
const viaSecond = async (): Promise<number> => (await second.inject({ url: '/v1/recommendations?user_id=shared', headers: { 'x-api-key': worldKeys.limited } })).statusCode;

describe('a key rate limit shared by API instances through Redis', () => {
  it('two instances allow the key its limit once between them (3 per 60 s), not once each', async () => {
    expect([await viaWorld(), await viaSecond(), await viaWorld(), await viaSecond(), await viaWorld()]).toEqual([200, 200, 200, 429, 429]);
    // One counter per key, shared by both instances.
    expect(Number(await world.redis.get(COUNTER))).toBe(5);
    expect(await world.redis.pttl(COUNTER)).toBeGreaterThan(50_000);
  });

  it('with Redis unreachable the requests are let through, and counting resumes when it is back', async () => {
    await world.redisProxy.down();
    expect([await viaSecond(), await viaSecond(), await viaSecond()]).toEqual([200, 200, 200]);
    await world.redisProxy.up();
    await new Promise<void>((resolve) => (secondRedis.status === 'ready' ? resolve() : secondRedis.once('ready', () => resolve())));
    expect(await viaSecond()).toBe(429);
  });
});
