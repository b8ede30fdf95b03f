import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiWorld, type ApiWorld } from '../helpers/api-world.js';

let world: ApiWorld;
beforeAll(async () => { const t = Date.now(); world = await startApiWorld(); console.log('world up', Date.now() - t); });
afterAll(async () => { await world?.stop(); });
describe('scratch', () => {
  it('answers cold users', async () => {
    for (const user of ['5', '17', '300']) {
      const r = await world.get(`/v1/recommendations?user_id=${user}&limit=10&scene=home`);
      console.log(JSON.stringify(r.body));
    }
    expect(1).toBe(1);
  });
});
