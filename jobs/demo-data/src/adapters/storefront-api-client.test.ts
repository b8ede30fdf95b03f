import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDatasetId, asUserId } from '../domain/types.js';
import { HttpStorefrontApi, parseAnswer } from './storefront-api-client.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly key: string | undefined;
  readonly body: string;
}

/** An in-process stand-in for the API: answers whatever `reply` says and records the requests. */
let server: Server;
let baseUrl = '';
const seen: Seen[] = [];
let reply: (request: IncomingMessage) => { status: number; body: unknown; headers?: Record<string, string> } = () => ({ status: 200, body: {} });

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const key = request.headers['x-api-key'];
      seen.push({ method: request.method ?? '', url: request.url ?? '', key: typeof key === 'string' ? key : undefined, body });
      const answer = reply(request);
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const client = (url = baseUrl): HttpStorefrontApi => new HttpStorefrontApi({ baseUrl: url, readKey: 'sr_r_read', eventsKey: 'sr_e_events', timeoutMs: 2_000 });
const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);
const event = { eventId: 'sim-1-x-0-0', userId: asUserId(42), itemId: asDatasetId(731), action: 'click', eventTime: 1_700_000_000_000, requestId: 'req-9', sessionId: 's-1' } as const;

describe('HttpStorefrontApi', () => {
  it('asks for recommendations with the read key and reads request_id, items and the variant', async () => {
    reply = () => ({
      status: 200,
      body: { request_id: 'req-1', items: [{ item_id: '731', position: 0, score: 1, channels: ['content'] }], experiment: { id: 'fusion', variant: 'control' } },
    });
    const answer = await client().recommend(asUserId(42), 'item_detail', 5);
    expect(answer).toEqual({ requestId: 'req-1', items: [{ itemId: 731, position: 0 }], experiment: { id: 'fusion', variant: 'control' } });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/recommendations?user_id=42&limit=5&scene=item_detail', key: 'sr_r_read' });
  });

  it('sends beacons with the events key and the fields of docs/api.md', async () => {
    reply = () => ({ status: 202, body: { event_id: 'beacon:sim-1-x-0-0', accepted: true } });
    await client().sendEvent(event);
    const last = seen.at(-1);
    expect(last).toMatchObject({ method: 'POST', url: '/v1/events', key: 'sr_e_events' });
    expect(JSON.parse(last?.body ?? '')).toEqual({
      event_id: 'sim-1-x-0-0',
      user_id: '42',
      item_id: '731',
      action: 'click',
      event_time: 1_700_000_000_000,
      request_id: 'req-9',
      session_id: 's-1',
    });
  });

  it('names the option to fix when the API refuses a key (401) or its scope (403)', async () => {
    reply = () => ({ status: 401, body: { error: { code: 'REC_UNAUTHORIZED', message: 'unknown key' } } });
    const refused = await failure(client().recommend(asUserId(1), 'home', 5));
    expect(isAppError(refused, ErrorCode.Unauthorized)).toBe(true);
    expect((refused as Error).message).toContain('--api-key');
    expect((refused as Error).message).toContain('STREAMREC_API_KEY_DEV');
    reply = () => ({ status: 403, body: { error: { code: 'REC_FORBIDDEN', message: "the API key lacks the 'events' scope" } } });
    const forbidden = await failure(client().sendEvent(event));
    expect(isAppError(forbidden, ErrorCode.Forbidden)).toBe(true);
    expect((forbidden as Error).message).toContain('--events-key');
  });

  it('turns 429 into a retriable REC_RATE_LIMITED with the Retry-After, and 5xx into a retriable dependency failure', async () => {
    reply = () => ({ status: 429, body: { error: { code: 'REC_RATE_LIMITED', message: 'slow down' } }, headers: { 'retry-after': '2' } });
    const limited = await failure(client().sendEvent(event));
    expect(isAppError(limited, ErrorCode.RateLimited) && limited.retriable && limited.details?.['retryAfterMs']).toBe(2_000);
    reply = () => ({ status: 503, body: { error: { code: 'REC_DEPENDENCY_UNAVAILABLE', message: 'kafka' } } });
    const down = await failure(client().sendEvent(event));
    expect(isAppError(down, ErrorCode.DependencyUnavailable) && down.retriable).toBe(true);
  });

  it('says how to start the API when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(client(url).checkReachable());
    expect(isAppError(error, ErrorCode.DependencyUnavailable) && error.details?.['unreachable']).toBe(true);
    expect((error as Error).message).toContain('npm run api');
  });
});

describe('parseAnswer', () => {
  it('accepts answers outside experiments and refuses broken ones', () => {
    expect(parseAnswer({ request_id: 'r', items: [], experiment: null })).toEqual({ requestId: 'r', items: [], experiment: null });
    for (const broken of [null, { items: [] }, { request_id: 'r', items: [{ item_id: 'x' }] }, { request_id: 'r', items: [], experiment: { id: 1 } }]) {
      expect(() => parseAnswer(broken)).toThrow(expect.objectContaining({ code: ErrorCode.PayloadInvalid }));
    }
  });
});
