import { afterEach, describe, expect, it } from 'vitest';
import { buildApps, type ApiApps } from './app.js';
import { fakeServices, testKeys } from './testing.js';

let apps: ApiApps | undefined;
afterEach(async () => {
  await apps?.api.close();
  await apps?.ops.close();
  apps = undefined;
});

describe('errors raised before any route runs', () => {
  it('a request line over Node’s header limit is 431 in the API’s error shape, as the operations listener’s /docs/json documents', async () => {
    apps = await buildApps(fakeServices().services);
    const url = await apps.api.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${url}/v1/recommendations?user_id=u1&exclude=${'1,'.repeat(10_000)}1`, { headers: { 'x-api-key': testKeys.read } });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: { code: 'REC_PAYLOAD_TOO_LARGE', message: 'the request line and headers are larger than 16 KiB' } });
    const documented = (await apps.ops.inject({ url: '/docs/json' })).json<{ paths: Record<string, { get: { responses: Record<string, unknown> } }> }>();
    expect(Object.keys(documented.paths['/v1/recommendations']!.get.responses)).toContain('431');
  });
});
