// Integration: needs the local stack (npm run setup). The API warms its serving path before it reports
// ready (start-api.ts): internal answers of unknown users, with no exposure, no answer cache and no metrics,
// so the first real answer after start-up meets compiled code and a filled item-stats cache (without it,
// the first answer after `npm run api` timed out its 20 ms features read: features_unavailable, 2 of 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiWorld, type ApiWorld } from '../helpers/api-world.js';

let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld(); // returns after api.ready()
});

afterAll(async () => {
  await world?.stop();
});

/** The values of one metric's series with a non-zero count, from the operations listener. */
async function series(name: string): Promise<string[]> {
  const text = await (await fetch(`${world.opsUrl}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(name) && !line.endsWith(' 0'));
}

describe('warm-up before ready', () => {
  it('reports the internal answers in readiness, and they leave no exposure, cached answer or metric behind', async () => {
    const readiness = await world.opsGet<{ ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> }>('/readyz');
    expect(readiness.status).toBe(200);
    expect(readiness.body.checks['warm_up']).toEqual({ ok: true, detail: '20 internal answers' });
    expect(world.api.exposures.queued()).toBe(0);
    expect(world.api.parts.answers.size).toBe(0);
    expect(await series('recommendation_stage_duration_seconds_count')).toEqual([]);
    expect(await series('recommendation_degraded_total')).toEqual([]);
    expect(await series('exposures_total')).toEqual([]);

    // A real answer is counted (so the metrics above were read, not missing).
    const answer = await world.get<{ items: unknown[] }>('/v1/recommendations?user_id=warm-up-check&limit=5');
    expect(answer.status).toBe(200);
    expect(await series('recommendation_stage_duration_seconds_count{service="api",stage="redis_profile"}')).toHaveLength(1);
  });
});
