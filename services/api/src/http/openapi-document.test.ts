import { afterEach, describe, expect, it } from 'vitest';
import { beaconInteraction } from '../domain/serving/beacon-event.js';
import { buildApps, type ApiApps } from './app.js';
import { CLOCK_BOUNDS_VALID_FOR_MS } from './openapi-document.js';
import { fakeServices, testKeys } from './testing.js';

let apps: ApiApps | undefined;
afterEach(async () => {
  await apps?.api.close();
  await apps?.ops.close();
  apps = undefined;
});

interface Bounds {
  readonly minimum: number;
  readonly maximum: number;
}

async function servedEventTimeBounds(): Promise<{ bounds: Bounds; servedBetween: [number, number] }> {
  apps ??= await buildApps(fakeServices().services);
  const before = Date.now();
  const document = (await apps.ops.inject({ url: '/docs/json' })).json<{ paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, Bounds> } }> } } }> }>();
  const after = Date.now();
  return { bounds: document.paths['/v1/events']!.post.requestBody.content['application/json']!.schema.properties['event_time']!, servedBetween: [before, after] };
}

const accepts = (eventTime: number, nowMs: number): boolean => {
  try {
    beaconInteraction({ user_id: 'u', item_id: '1', action: 'view', event_time: eventTime }, nowMs, () => 'id');
    return true;
  } catch {
    return false;
  }
};

describe('/docs/json states the beacon’s clock bounds on event_time as of the moment it is served', () => {
  it('every event_time the document allows is accepted by the code for the next hour, at both ends', async () => {
    const { bounds, servedBetween } = await servedEventTimeBounds();
    const [, servedAt] = servedBetween;
    expect(accepts(bounds.minimum, servedAt)).toBe(true);
    expect(accepts(bounds.minimum, servedAt + CLOCK_BOUNDS_VALID_FOR_MS - 1_000)).toBe(true);
    expect(accepts(bounds.maximum, servedAt)).toBe(true);
    expect(accepts(bounds.maximum, servedAt + CLOCK_BOUNDS_VALID_FOR_MS)).toBe(true);
  });

  it('the document is no stricter than the code beyond the one-hour margin, and refuses what the code refuses', async () => {
    const { bounds, servedBetween } = await servedEventTimeBounds();
    const [servedFrom] = servedBetween;
    expect(accepts(bounds.minimum - CLOCK_BOUNDS_VALID_FOR_MS, servedFrom)).toBe(true);
    expect(accepts(bounds.minimum - CLOCK_BOUNDS_VALID_FOR_MS - 60_000, servedFrom)).toBe(false);
    expect(accepts(bounds.maximum + 60_000, servedFrom)).toBe(false);
  });

  it('a second request sees bounds that moved with the clock of the same server (the document is not cached with stale bounds)', async () => {
    const first = await servedEventTimeBounds();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await servedEventTimeBounds();
    expect(second.bounds.minimum).toBeGreaterThan(first.bounds.minimum);
  });
});

describe('/docs/json states what the code does with left-out parameters', () => {
  it('a query parameter with a default is optional (the code fills the default in), one without stays required', async () => {
    apps = await buildApps(fakeServices().services);
    const document = (await apps.ops.inject({ url: '/docs/json' })).json<{ paths: Record<string, { get?: { parameters: { name: string; required: boolean }[] } }> }>();
    const required = (path: string): Record<string, boolean> => Object.fromEntries((document.paths[path]?.get?.parameters ?? []).map(({ name, required: is }) => [name, is]));
    expect(required('/v1/popular')).toMatchObject({ window: false, limit: false, industry: false });
    expect(required('/v1/recommendations')).toMatchObject({ user_id: true, limit: false, scene: false });
    const answer = await apps.api.inject({ url: '/v1/popular', headers: { 'x-api-key': testKeys.read } });
    expect(answer.statusCode).toBe(200);
  });
});
