import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApps, type ApiApps } from './app.js';
import { fakeServices, testKeys, type ErrorJson } from './testing.js';

let apps: ApiApps | undefined;
afterEach(async () => {
  await apps?.api.close();
  await apps?.ops.close();
  apps = undefined;
});

/** Builds both apps; returns the public one (`ops()` is the operations listener's). */
async function start(clock?: () => number): Promise<FastifyInstance> {
  apps = await buildApps(fakeServices(clock === undefined ? {} : { clock }).services);
  return apps.api;
}

function ops(): FastifyInstance {
  if (apps === undefined) throw new Error('start() first');
  return apps.ops;
}

const recommendations = '/v1/recommendations?user_id=42';

describe('API keys, scopes and rate limits', () => {
  it('refuses a request without a key with 401 REC_UNAUTHORIZED', async () => {
    const response = await (await start()).inject({ url: recommendations });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'REC_UNAUTHORIZED', message: 'an API key is required (X-API-Key header)' } });
  });

  it('refuses an unknown, a malformed and a disabled key with 401', async () => {
    const server = await start();
    for (const key of [`sr_reader_${'x'.repeat(43)}`, 'not-a-key', testKeys.disabled]) {
      const response = await server.inject({ url: recommendations, headers: { 'x-api-key': key } });
      expect(response.statusCode).toBe(401);
      expect(response.json<ErrorJson>().error.code).toBe('REC_UNAUTHORIZED');
    }
  });

  it('accepts the key as a bearer token too', async () => {
    const response = await (await start()).inject({ url: recommendations, headers: { authorization: `Bearer ${testKeys.read}` } });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a key without the route’s scope with 403 REC_FORBIDDEN', async () => {
    const server = await start();
    const read = await server.inject({ url: recommendations, headers: { 'x-api-key': testKeys.events } });
    expect(read.statusCode).toBe(403);
    expect(read.json<ErrorJson>().error).toEqual({ code: 'REC_FORBIDDEN', message: "the API key lacks the 'read' scope" });
    const admin = await ops().inject({ method: 'POST', url: '/admin/experiments/reload', headers: { 'x-api-key': testKeys.read } });
    expect(admin.statusCode).toBe(403);
    const events = await server.inject({ method: 'POST', url: '/v1/events', headers: { 'x-api-key': testKeys.read }, payload: {} });
    expect(events.statusCode).toBe(403);
  });

  it('limits each key to its rate: 429 REC_RATE_LIMITED with retry-after once it is spent', async () => {
    const server = await start();
    const headers = { 'x-api-key': testKeys.limited };
    expect((await server.inject({ url: recommendations, headers })).statusCode).toBe(200);
    expect((await server.inject({ url: recommendations, headers })).statusCode).toBe(200);
    const refused = await server.inject({ url: recommendations, headers });
    expect(refused.statusCode).toBe(429);
    expect(refused.json<ErrorJson>().error.code).toBe('REC_RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
    // Another key is counted apart.
    expect((await server.inject({ url: recommendations, headers: { 'x-api-key': testKeys.read } })).statusCode).toBe(200);
  });

  it('refuses a client that keeps presenting wrong keys (429 with retry-after), even with a right key, until its window ends; other clients are not affected', async () => {
    let now = 1_000_000;
    const server = await start(() => now);
    const guess = (index: number, remoteAddress = '203.0.113.7') => server.inject({ url: recommendations, remoteAddress, headers: { 'x-api-key': `sr_reader_${String(index).padStart(43, 'x')}` } });
    // fakeServices: 5 failures per 60 s.
    for (let index = 0; index < 5; index += 1) expect((await guess(index)).statusCode).toBe(401);
    const blocked = await guess(5);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect(blocked.json<ErrorJson>().error).toMatchObject({ code: 'REC_RATE_LIMITED', message: 'too many failed authentications from this client (5 per 60 s); retry in 60 s' });
    const rightKeySameClient = await server.inject({ url: recommendations, remoteAddress: '203.0.113.7', headers: { 'x-api-key': testKeys.read } });
    expect(rightKeySameClient.statusCode).toBe(429);
    expect((await server.inject({ url: recommendations, remoteAddress: '198.51.100.1', headers: { 'x-api-key': testKeys.read } })).statusCode).toBe(200);
    expect((await guess(6, '198.51.100.1')).statusCode).toBe(401);
    // A missing key and a key without the scope are not guesses: they do not count.
    for (let index = 0; index < 10; index += 1) expect((await server.inject({ url: recommendations, remoteAddress: '192.0.2.9' })).statusCode).toBe(401);
    expect((await server.inject({ url: recommendations, remoteAddress: '192.0.2.9', headers: { 'x-api-key': testKeys.read } })).statusCode).toBe(200);
    now += 60_000;
    expect((await server.inject({ url: recommendations, remoteAddress: '203.0.113.7', headers: { 'x-api-key': testKeys.read } })).statusCode).toBe(200);
    expect((await ops().inject({ url: '/metrics' })).body).toMatch(/http_auth_failures_total\{reason="blocked",service="api"\} 2/);
  });

  it('a client blocked for guessing keys on the public listener is blocked on the operations listener too (one failure count)', async () => {
    const server = await start();
    const guess = (index: number) => server.inject({ url: recommendations, remoteAddress: '203.0.113.7', headers: { 'x-api-key': `sr_ops_${String(index).padStart(43, 'x')}` } });
    for (let index = 0; index < 5; index += 1) expect((await guess(index)).statusCode).toBe(401);
    const adminFromGuesser = await ops().inject({ url: '/admin/status', remoteAddress: '203.0.113.7', headers: { 'x-api-key': testKeys.admin } });
    expect(adminFromGuesser.statusCode).toBe(429);
    expect((await ops().inject({ url: '/admin/status', remoteAddress: '198.51.100.1', headers: { 'x-api-key': testKeys.admin } })).statusCode).toBe(200);
  });

  it('the public listener serves the /v1 routes and /healthz only: readiness, metrics, docs and admin are 404 there', async () => {
    const server = await start();
    expect((await server.inject({ url: '/healthz' })).statusCode).toBe(200);
    for (const url of ['/readyz', '/metrics', '/docs', '/docs/json', '/docs/operations/json', '/admin/status']) {
      const response = await server.inject({ url, headers: { 'x-api-key': testKeys.admin } });
      expect(response.statusCode, url).toBe(404);
      expect(response.json<ErrorJson>().error.code, url).toBe('REC_NOT_FOUND');
    }
    expect((await server.inject({ method: 'POST', url: '/admin/experiments/reload', headers: { 'x-api-key': testKeys.admin } })).statusCode).toBe(404);
  });

  it('the operations listener keeps health, readiness, metrics and docs open, admin behind the admin scope, and serves no /v1 route', async () => {
    await start();
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs', '/docs/json', '/docs/operations/json']) expect((await ops().inject({ url })).statusCode, url).toBe(200);
    expect((await ops().inject({ url: '/admin/status' })).statusCode).toBe(401);
    expect((await ops().inject({ url: '/v1/popular', headers: { 'x-api-key': testKeys.read } })).statusCode).toBe(404);
  });

  it('counts refusals by reason in the metrics', async () => {
    const server = await start();
    await server.inject({ url: recommendations });
    await server.inject({ url: recommendations, headers: { 'x-api-key': testKeys.events } });
    const metrics = (await ops().inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/http_auth_failures_total\{reason="missing",service="api"\} 1/);
    expect(metrics).toMatch(/http_auth_failures_total\{reason="scope",service="api"\} 1/);
  });
});
