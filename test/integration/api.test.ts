// Integration: needs the local stack (npm run setup). The API runs in-process over test-owned topics and a test state version.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interaction, startApiWorld, worldKeys, type ApiWorld } from '../helpers/api-world.js';
import { waitFor } from '../helpers/wait-for.js';

interface Served {
  readonly item_id: string;
  readonly score: number;
  readonly channels: string[];
}
interface RecommendationBody {
  readonly request_id: string;
  readonly items: Served[];
  readonly model: { name: string; version: string } | null;
  readonly experiment: { id: string; variant: string } | null;
  readonly degraded: boolean;
  readonly degraded_reasons: string[];
  readonly freshness: { newest_event_ms: number | null; age_ms: number | null };
}

let world: ApiWorld;
const now = Date.now();
const recommendations = (user: string, extra = ''): Promise<{ status: number; body: RecommendationBody }> => world.get<RecommendationBody>(`/v1/recommendations?user_id=${user}&limit=10${extra}`);

beforeAll(async () => {
  world = await startApiWorld();
  // Two crowds: one views dataset 1 then 2, the other 3 then 4. "fresh" has viewed 1 only.
  const seeded = [];
  for (let index = 0; index < 30; index += 1) {
    const [first, second] = index % 2 === 0 ? [1, 2] : [3, 4];
    seeded.push(interaction(`crowd-${index}`, first, 'view', now - 3_600_000 + index * 1_000, `seed:${index}:a`));
    seeded.push(interaction(`crowd-${index}`, second, 'view', now - 3_600_000 + index * 1_000 + 500, `seed:${index}:b`));
  }
  seeded.push(interaction('fresh', 1, 'view', now - 600_000, 'seed:fresh'));
  await world.sendInteractions(seeded);
  await waitFor(async () => (await recommendations('fresh')).body.items.some(({ item_id, channels }) => item_id === '2' && channels.includes('transition')), {
    timeoutMs: 60_000,
    description: 'the seeded views to reach the state the API reads',
  });
});

afterAll(async () => {
  await world?.stop();
});

describe('serving on the real stack', () => {
  it('a user’s new view (beacon → Kafka → processors → Redis) changes their recommendations within 2 s', async () => {
    const before = await recommendations('fresh');
    expect(before.body.items.find(({ item_id }) => item_id === '4')?.channels ?? []).not.toContain('transition');
    const sent = Date.now();
    const accepted = await world.post('/v1/events', { event_id: 'fresh-view-3', user_id: 'fresh', item_id: '3', action: 'view' }, worldKeys.events);
    expect(accepted).toEqual({ status: 202, body: { event_id: 'beacon:fresh-view-3', accepted: true } });
    const after = await waitFor(
      async () => {
        const answer = await recommendations('fresh');
        return answer.body.items.find(({ item_id }) => item_id === '4')?.channels.includes('transition') === true ? answer : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20, description: 'item 4 (viewed after 3 by the crowd) to be recommended from the transition channel' },
    );
    const elapsed = Date.now() - sent;
    console.info(`beacon view → changed recommendations in ${elapsed} ms`);
    expect(elapsed).toBeLessThan(2_000);
    expect(after.body.freshness.newest_event_ms).toBeGreaterThanOrEqual(sent - 1_000);
    expect(after.body.items.map(({ item_id }) => item_id)).not.toEqual(before.body.items.map(({ item_id }) => item_id));
  });

  it('assigns variants stably and splits users 50/50 within tolerance; a reloaded file moves everyone', async () => {
    const variants = new Map<string, string>();
    for (let index = 0; index < 600; index += 1) {
      const { body } = await recommendations(`visitor-${index}`);
      variants.set(`visitor-${index}`, body.experiment?.variant ?? 'none');
    }
    for (let index = 0; index < 600; index += 25) expect((await recommendations(`visitor-${index}`)).body.experiment?.variant).toBe(variants.get(`visitor-${index}`));
    const control = [...variants.values()].filter((variant) => variant === 'control').length / variants.size;
    expect(control).toBeGreaterThan(0.44);
    expect(control).toBeLessThan(0.56);

    const controlUsers = [...variants].filter(([, variant]) => variant === 'control').map(([user]) => user).slice(0, 3);
    const original = await readFile(world.experimentsFile, 'utf8');
    await writeFile(world.experimentsFile, original.replace('share: 50\n      - name: content-boost\n        share: 50', 'share: 0\n      - name: content-boost\n        share: 100'));
    const allMoved = async (): Promise<boolean> => {
      for (const user of controlUsers) if ((await recommendations(user)).body.experiment?.variant !== 'content-boost') return false;
      return true;
    };
    await waitFor(allMoved, {
      timeoutMs: 10_000,
      description: 'the edited experiments file to be hot-reloaded',
    });
    await writeFile(world.experimentsFile, 'defaults: [not a mapping');
    const rejected = await world.opsPost<{ error: { code: string; details: string[] } }>('/admin/experiments/reload', {}, worldKeys.admin);
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.code).toBe('REC_CONFIG_INVALID');
    expect(await allMoved()).toBe(true);
    await writeFile(world.experimentsFile, original);
    expect((await world.opsPost<{ ok: boolean }>('/admin/experiments/reload', {}, worldKeys.admin)).body.ok).toBe(true);
  });

  it('refuses requests without a key, with the wrong scope, and over a key’s rate limit', async () => {
    expect((await world.get('/v1/recommendations?user_id=fresh', '')).status).toBe(401);
    expect((await world.get('/v1/recommendations?user_id=fresh', worldKeys.events)).status).toBe(403);
    expect((await world.opsPost('/admin/experiments/reload', {}, worldKeys.read)).status).toBe(403);
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await world.get('/v1/recommendations?user_id=fresh', worldKeys.limited)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  // Last in this file: it locks this client (127.0.0.1) out for the rest of the window.
  it('stops a key brute force: after 20 wrong keys in a minute the client gets 429, even with a right key', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 25; index += 1) statuses.push((await world.get('/v1/recommendations?user_id=fresh', `sr_reader_${String(index).padStart(43, 'g')}`)).status);
    expect(statuses).toEqual([...Array<number>(20).fill(401), ...Array<number>(5).fill(429)]);
    const right = await world.get<{ error: { code: string; message: string } }>('/v1/recommendations?user_id=fresh', worldKeys.read);
    expect(right.status).toBe(429);
    expect(right.body.error.message).toMatch(/^too many failed authentications from this client \(20 per 60 s\); retry in \d+ s$/);
  });
});
