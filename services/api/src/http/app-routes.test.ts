import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { buildApps, type ApiApps } from './app.js';
import { recommendationsQuery } from './schemas.js';
import type { ApiServices } from './services.js';
import { fakeServices, testKeys, type ErrorJson } from './testing.js';

let apps: ApiApps[] = [];
afterEach(async () => {
  for (const { api, ops } of apps) {
    await api.close();
    await ops.close();
  }
  apps = [];
});

/** `server` is the public app, `ops` the operations listener's. */
async function start(overrides: Partial<ApiServices> = {}): Promise<{ server: FastifyInstance; ops: FastifyInstance; calls: ReturnType<typeof fakeServices>['calls'] }> {
  const fake = fakeServices(overrides);
  const built = await buildApps(fake.services);
  apps.push(built);
  return { server: built.api, ops: built.ops, calls: fake.calls };
}

const read = { 'x-api-key': testKeys.read };
const events = { 'x-api-key': testKeys.events };
const admin = { 'x-api-key': testKeys.admin };

describe('GET /v1/recommendations', () => {
  it('answers with request id, scored items and their channels, model, variant, degradation and freshness', async () => {
    const { server, calls } = await start();
    const response = await server.inject({ url: '/v1/recommendations?user_id=42&limit=5&scene=item_detail&exclude=1,2&exclude_seen=true', headers: read });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      request_id: 'req-1',
      user_id: '42',
      scene: 'item_detail',
      items: [{ item_id: '7', position: 0, score: 0.9, channels: ['cooccurrence', 'content'] }],
      model: { name: 'ranker', version: 'v9' },
      experiment: { id: 'exp', variant: 'control' },
      degraded: false,
      degraded_reasons: [],
      cold_start: false,
      freshness: { newest_event_ms: 999_000, age_ms: 1_000 },
      latency_ms: 3.25,
    });
    expect(calls.recommend[0]).toMatchObject({ user: '42', limit: 5, scene: 'item_detail', excludeSeen: true });
    expect([...(calls.recommend[0]?.exclude ?? [])]).toEqual(['1', '2']);
  });

  it('fills defaults: limit, scene home, nothing excluded', async () => {
    const { server, calls } = await start();
    expect((await server.inject({ url: '/v1/recommendations?user_id=anon:ab12', headers: read })).statusCode).toBe(200);
    expect(calls.recommend[0]).toMatchObject({ limit: 10, scene: 'home', excludeSeen: false });
  });

  it.each([
    ['no user', '/v1/recommendations'],
    ['limit 0', '/v1/recommendations?user_id=1&limit=0'],
    ['limit above the maximum', '/v1/recommendations?user_id=1&limit=51'],
    ['limit not a number', '/v1/recommendations?user_id=1&limit=ten'],
    ['unknown parameter', '/v1/recommendations?user_id=1&foo=bar'],
    ['user id with spaces', '/v1/recommendations?user_id=a%20b'],
    ['scene with capitals', '/v1/recommendations?user_id=1&scene=Home'],
    ['exclude not ids', '/v1/recommendations?user_id=1&exclude=1,x'],
    ['exclude too long', '/v1/recommendations?user_id=1&exclude=1,2,3,4'],
    ['exclude id with a leading zero', '/v1/recommendations?user_id=1&exclude=1,058976431'],
  ])('refuses %s with 400 REC_INVALID_ARGUMENT', async (_name, url) => {
    const { server, calls } = await start();
    const response = await server.inject({ url, headers: read });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorJson>().error.code).toBe('REC_INVALID_ARGUMENT');
    expect(response.json<ErrorJson>().error.message.length).toBeGreaterThan(0);
    expect(calls.recommend).toHaveLength(0);
  });

  it('never sends a stack trace: an unexpected failure is 500 REC_INTERNAL with a plain message', async () => {
    const { server } = await start({ recommend: () => Promise.reject(new Error('secret detail at /srv/app.js:12')) });
    const response = await server.inject({ url: '/v1/recommendations?user_id=1', headers: read });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'REC_INTERNAL', message: 'internal error' } });
    expect(response.body).not.toContain('/srv/app.js');
  });
});

describe('items', () => {
  it('GET /v1/items/:id/similar lists similar items; an unknown item is 404 REC_NOT_FOUND', async () => {
    const { server } = await start();
    const found = await server.inject({ url: '/v1/items/7/similar?limit=3', headers: read });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({ items: [{ item_id: '8', position: 0, score: 1, channels: ['transition'] }], degraded: false, degraded_reasons: [] });
    const missing = await server.inject({ url: '/v1/items/404/similar', headers: read });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorJson>().error.code).toBe('REC_NOT_FOUND');
    expect((await server.inject({ url: '/v1/items/abc/similar', headers: read })).statusCode).toBe(400);
  });

  it('GET /v1/popular takes a window, industry and tag; an unknown window is 400', async () => {
    const received: unknown[] = [];
    const { server } = await start({ popular: (request) => (received.push(request), Promise.resolve({ items: [], degraded: [] })) });
    expect((await server.inject({ url: '/v1/popular?window=7d&industry=finance&limit=4', headers: read })).statusCode).toBe(200);
    expect(received[0]).toEqual({ window: '7d', industry: 'finance', tag: undefined, limit: 4 });
    expect((await server.inject({ url: '/v1/popular?window=2d', headers: read })).statusCode).toBe(400);
  });
});

describe('POST /v1/events', () => {
  const event = { event_id: 'c0ffee-0001', user_id: '42', item_id: '7', action: 'view', session_id: 's1' };

  it('accepts a valid beacon with 202 and the stored event id', async () => {
    const { server, calls } = await start();
    const response = await server.inject({ method: 'POST', url: '/v1/events', headers: events, payload: event });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ event_id: 'beacon:c0ffee-0001', accepted: true });
    expect(calls.events).toEqual([event]);
  });

  it.each([
    ['an unknown field', { ...event, extra: 1 }],
    ['a purchase (orders are the source of purchases)', { ...event, action: 'purchase' }],
    ['a missing item', { user_id: '42', action: 'view' }],
    ['a non-numeric item id', { ...event, item_id: 'seven' }],
    ['a short event id', { ...event, event_id: 'x' }],
  ])('refuses %s with 400', async (_name, payload) => {
    const { server, calls } = await start();
    const response = await server.inject({ method: 'POST', url: '/v1/events', headers: events, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorJson>().error.code).toBe('REC_INVALID_ARGUMENT');
    expect(calls.events).toHaveLength(0);
  });

  it('refuses a body over the limit with 413 REC_PAYLOAD_TOO_LARGE', async () => {
    const { server } = await start();
    const response = await server.inject({ method: 'POST', url: '/v1/events', headers: events, payload: { ...event, session_id: 'x'.repeat(2_000) } });
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorJson>().error.code).toBe('REC_PAYLOAD_TOO_LARGE');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { server, calls } = await start();
    const response = await server.inject({ method: 'POST', url: '/v1/events', headers: { ...events, 'content-type': 'application/xml' }, payload: '<event/>' });
    expect(response.statusCode).toBe(415);
    expect(response.json<ErrorJson>().error.code).toBe('REC_INVALID_ARGUMENT');
    expect(calls.events).toHaveLength(0);
  });

  it('answers 503 REC_DEPENDENCY_UNAVAILABLE when Kafka cannot take the event', async () => {
    const { server } = await start({ acceptEvent: () => Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'Kafka did not take the event; retry with the same event_id')) });
    const response = await server.inject({ method: 'POST', url: '/v1/events', headers: events, payload: event });
    expect(response.statusCode).toBe(503);
    expect(response.json<ErrorJson>().error).toEqual({ code: 'REC_DEPENDENCY_UNAVAILABLE', message: 'Kafka did not take the event; retry with the same event_id' });
  });
});

describe('operations', () => {
  it('readiness (operations listener) is 503 while not ready, with the checks', async () => {
    const { ops } = await start({ readiness: () => Promise.resolve({ ready: false, checks: { catalogue: { ok: false, detail: 'loading' } } }) });
    const response = await ops.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json<{ checks: Record<string, { ok: boolean }> }>().checks['catalogue']?.ok).toBe(false);
  });

  it('an unknown route is 404 REC_NOT_FOUND on either listener', async () => {
    const { server, ops } = await start();
    for (const app of [server, ops]) {
      const response = await app.inject({ url: '/v2/nothing' });
      expect(response.statusCode).toBe(404);
      expect(response.json<ErrorJson>().error.code).toBe('REC_NOT_FOUND');
    }
  });

  it('a known path asked with a method it does not have is 405 REC_METHOD_NOT_ALLOWED with an Allow header', async () => {
    const { server, ops } = await start();
    const cases = [
      { app: server, method: 'DELETE', url: '/v1/recommendations?user_id=u1', allow: 'GET, HEAD' },
      { app: server, method: 'PUT', url: '/v1/items/12/similar', allow: 'GET, HEAD' },
      { app: server, method: 'GET', url: '/v1/events', allow: 'POST' },
      { app: ops, method: 'PATCH', url: '/admin/experiments/reload', allow: 'POST' },
      // A body method without a Content-Type: Fastify's content-type check must not turn it into a 400/415.
      { app: server, method: 'QUERY', url: '/healthz', allow: 'GET, HEAD' },
      { app: ops, method: 'POST', url: '/readyz', allow: 'GET, HEAD' },
      { app: server, method: 'POST', url: '/v1/popular', allow: 'GET, HEAD' },
    ] as const;
    for (const { app, method, url, allow } of cases) {
      const response = await app.inject({ method, url, headers: read });
      expect(response.statusCode, `${method} ${url}`).toBe(405);
      expect(response.headers['allow']).toBe(allow);
      expect(response.json<ErrorJson>().error.code).toBe('REC_METHOD_NOT_ALLOWED');
    }
    expect((await server.inject({ method: 'DELETE', url: '/v1/items/12/similar/more', headers: read })).statusCode).toBe(404);
    expect((await server.inject({ method: 'QUERY', url: '/v1/nowhere', headers: read })).statusCode).toBe(404);
  });

  it('admin reload reports success, and a rejected file as 422 REC_CONFIG_INVALID with its errors', async () => {
    const ok = await start();
    expect((await ok.ops.inject({ method: 'POST', url: '/admin/experiments/reload', headers: admin })).json()).toEqual({ ok: true, errors: [], checksum: 'abc' });
    const bad = await start({ reloadExperiments: () => ({ ok: false, errors: ['experiments[0].variants: shares must sum to 100'] }) });
    const response = await bad.ops.inject({ method: 'POST', url: '/admin/experiments/reload', headers: admin });
    expect(response.statusCode).toBe(422);
    expect(response.json<ErrorJson>().error).toMatchObject({ code: 'REC_CONFIG_INVALID', details: ['experiments[0].variants: shares must sum to 100'] });
  });

  it('admin erasures need the admin scope, forget the listed users and refuse a malformed list with 400', async () => {
    const asked: string[][] = [];
    const { ops } = await start({ forgetUsers: (users) => Promise.resolve({ forgotten: asked.push([...users]) }) });
    const body = { user_ids: ['42', 'anon:0011223344556677'] };
    expect((await ops.inject({ method: 'POST', url: '/admin/erasures', headers: read, payload: body })).statusCode).toBe(403);
    const response = await ops.inject({ method: 'POST', url: '/admin/erasures', headers: admin, payload: body });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ forgotten: 1 });
    expect(asked).toEqual([['42', 'anon:0011223344556677']]);
    for (const bad of [{ user_ids: [] }, { user_ids: ['a b'] }, { users: ['42'] }, { user_ids: [false] }, { user_ids: [42] }]) {
      const refused = await ops.inject({ method: 'POST', url: '/admin/erasures', headers: admin, payload: bad });
      expect(refused.statusCode).toBe(400);
      expect(refused.json<ErrorJson>().error.code).toBe('REC_INVALID_ARGUMENT');
    }
    expect(asked).toHaveLength(1);
  });

  it('admin status needs the admin scope and shows the serving state', async () => {
    const { ops } = await start({ status: () => ({ models: { ranker: 'v9' }, breakers: { ranker: 'closed' } }) });
    expect((await ops.inject({ url: '/admin/status', headers: read })).statusCode).toBe(403);
    const response = await ops.inject({ url: '/admin/status', headers: admin });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ models: { ranker: 'v9' }, breakers: { ranker: 'closed' } });
  });

  it('the operations listener publishes the public API’s OpenAPI document (every /v1 endpoint, the API key scheme) and its own', async () => {
    const { ops } = await start();
    const spec = (await ops.inject({ url: '/docs/json' })).json<{ paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } }>();
    expect(Object.keys(spec.paths).sort()).toEqual(['/healthz', '/v1/events', '/v1/items/{id}/similar', '/v1/popular', '/v1/recommendations']);
    expect(spec.components.securitySchemes['apiKey']).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    const operations = (await ops.inject({ url: '/docs/operations/json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(operations.paths).sort()).toEqual(['/admin/erasures', '/admin/experiments/reload', '/admin/status', '/healthz', '/readyz']);
    // Every status a route can return is documented: the admin status answers 401 without a key, 403 without the scope.
    const statusResponses = (operations.paths['/admin/status'] as { get: { responses: Record<string, unknown> } }).get.responses;
    expect(Object.keys(statusResponses)).toEqual(expect.arrayContaining(['200', '401', '403', '429']));
  });

  it('times requests on both listeners by route template in the metrics', async () => {
    const { server, ops } = await start();
    await server.inject({ url: '/v1/recommendations?user_id=1', headers: read });
    await ops.inject({ url: '/admin/status', headers: admin });
    const metrics = (await ops.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/http_request_duration_seconds_count\{service="api",route="\/v1\/recommendations",method="GET",status="200"\} 1/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{service="api",route="\/admin\/status",method="GET",status="200"\} 1/);
  });
});

describe('the OpenAPI schemas state what the code enforces', () => {
  it('an exclude list matches the item id rule of the code (no leading zeros, at most 16 digits)', () => {
    const pattern = new RegExp(recommendationsQuery(50, 10).properties.exclude.pattern ?? '');
    for (const ok of ['0', '1,2', '0,12,9999999999999999']) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['058976431', '1,01', '1,,2', '12345678901234567', '1,x']) expect(pattern.test(bad), bad).toBe(false);
  });
});
