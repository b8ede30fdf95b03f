/**
 * Integration (needs the local stack with the demo data: `npm run setup`): the storefront traffic
 * simulator (`npm run demo:generate -- traffic`) against the API running in-process over test-owned
 * topics (test/helpers/api-world.ts). The API's catalogue is the demo shop's, the users are the demo
 * shop's; the simulator's beacons must reach the interactions topic carrying the request_id of an
 * answer the API logged as an exposure, and a planted --lift must show in the events per answer of
 * the lifted variant. Runs with --no-orders: the shop database is shared with other tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exposure, Interaction } from '@streamrec/schemas';
import { createEventCodec } from '@streamrec/schemas/avro';
import { interaction, startApiWorld, worldKeys, type ApiWorld } from '../helpers/api-world.js';
import { runDemoGenerator, type TrafficSummary } from '../helpers/demo-generator.js';
import { demoCatalogue, ensureDemoShop } from '../helpers/demo-shop.js';
import { createKafka } from '../helpers/stack.js';
import { TopicTail } from '../helpers/topic-tail.js';
import { waitFor } from '../helpers/wait-for.js';

const LIFTED = 'content-boost';
const CONTROL = 'control';
const LIFT = 5;
const RATE = 80;
/** A number of requests, not a duration: a loaded machine answers fewer per second, never fewer in all. */
const REQUESTS = 1_600;

const itemCodec = createEventCodec('events.items.v1');
const interactionCodec = createEventCodec('events.interactions.v1');
const exposureCodec = createEventCodec('serving.exposures.v1');

let world: ApiWorld;
let tail: TopicTail;
let demoUserIds: Set<string>;

beforeAll(async () => {
  await ensureDemoShop();
  world = await startApiWorld();
  const { items, users } = await demoCatalogue();
  demoUserIds = users;
  expect(demoUserIds.size).toBeGreaterThan(100);
  await world.producer.send({ topic: world.topics.items, acks: -1, messages: items.map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })) });
  // A crowd's views give the popular lists that answer cold users (the demo users are cold in this world).
  const listed = items.filter((item) => item.available);
  const now = Date.now();
  const views = Array.from({ length: 600 }, (_, i) => interaction(`crowd-${i % 150}`, listed[(i * 7_919) % Math.min(400, listed.length)]!.id, 'view', now - 600_000 + i * 100, `crowd:${i}`));
  await world.sendInteractions(views);
  await waitFor(async () => ((await world.get<{ items: unknown[] }>('/v1/recommendations?user_id=1&limit=10')).body.items.length >= 10 ? true : undefined), {
    timeoutMs: 30_000,
    description: 'the crowd views to give cold users full answers',
  });
  tail = new TopicTail(createKafka('test-demo-traffic'), [world.topics.interactions, world.topics.exposures]);
  await tail.start();
});

afterAll(async () => {
  await tail?.stop();
  await world?.stop();
});

describe('storefront traffic simulator against the API', () => {
  it('sends beacons with the answers’ request_ids, and a planted lift shows in the lifted variant’s events', async () => {
    const started = Date.now();
    const { code, summary: raw } = await runDemoGenerator([
      'traffic', '--api', world.url, '--api-key', worldKeys.read, '--events-key', worldKeys.events,
      '--rate', String(RATE), '--requests', String(REQUESTS), '--scenes', 'home', '--limit', '10',
      '--seed', '7', '--lift', `${LIFTED}=${LIFT}`, '--no-orders',
    ]);
    const summary = raw as unknown as TrafficSummary | undefined;
    console.info(`traffic run: ${Date.now() - started} ms, ${JSON.stringify(summary)}`);
    expect(code).toBe(0);
    expect(summary).toBeDefined();
    if (!summary) return;
    expect(summary.requests.sent).toBe(REQUESTS);
    expect(summary.requests.answered).toBe(summary.requests.sent);
    expect(summary.events.failed).toBe(0);
    expect(summary.orders.written).toBe(0);

    // Every answer was logged as an exposure; every beacon reached the interactions topic.
    const decoded = (topic: string) => tail.of(topic).flatMap((record) => (record.value ? [record.value] : []));
    await waitFor(() => decoded(world.topics.exposures).length >= summary.requests.answered && decoded(world.topics.interactions).length >= summary.events.sent, {
      timeoutMs: 20_000,
      description: 'the exposures and beacons of the run on the test topics',
    });
    // The run's answers (the last probe of the set-up may be flushed after the tail started).
    const exposures = new Map(
      decoded(world.topics.exposures)
        .map((value) => exposureCodec.decode(value))
        .filter((exposure) => exposure.event_time >= started)
        .map((exposure): [string, Exposure] => [exposure.request_id, exposure]),
    );
    expect(exposures.size).toBe(summary.requests.answered);
    // A beacon the simulator retried after a timeout may be on the topic twice, under its one event_id
    // (deduplicated downstream); every one it sent is there.
    const beacons: Interaction[] = [...new Map(decoded(world.topics.interactions).map((value) => interactionCodec.decode(value)).map((beacon): [string, Interaction] => [beacon.event_id, beacon])).values()];
    expect(beacons).toHaveLength(summary.events.sent);
    for (const beacon of beacons) {
      expect(beacon.source).toBe('beacon');
      expect(demoUserIds.has(beacon.user_id)).toBe(true);
      const exposure = exposures.get(beacon.request_id ?? '');
      expect(exposure?.user_id).toBe(beacon.user_id);
      expect(exposure?.items.filter((item) => item.shown).map((item) => item.item_id)).toContain(beacon.item_id);
    }

    // The lift, read from the topics: events per answer in each variant, joined through request_id.
    const answers = (variant: string): number => [...exposures.values()].filter((exposure) => exposure.variant === variant).length;
    const events = (variant: string): number => beacons.filter((beacon) => exposures.get(beacon.request_id ?? '')?.variant === variant).length;
    const lifted = { answers: answers(LIFTED), events: events(LIFTED) };
    const control = { answers: answers(CONTROL), events: events(CONTROL) };
    expect(lifted.events).toBe(summary.events.byVariant[LIFTED]);
    expect(control.events).toBe(summary.events.byVariant[CONTROL]);
    const liftedRate = lifted.events / lifted.answers;
    const controlRate = control.events / control.answers;
    // Events come in click → view pairs, so their variance is about twice a Poisson count's. With
    // --lift 5 on clicks, the lifted rate is 3–4 times control's; 1.5 times is ~10 sd away.
    const sd = Math.sqrt((2 * lifted.events) / lifted.answers ** 2 + (1.5 ** 2 * 2 * control.events) / control.answers ** 2);
    console.info(
      `events per answer: ${LIFTED} ${liftedRate.toFixed(3)} (${lifted.events}/${lifted.answers}), ${CONTROL} ${controlRate.toFixed(3)} ` +
        `(${control.events}/${control.answers}); lifted − 1.5 × control = ${((liftedRate - 1.5 * controlRate) / sd).toFixed(1)} sd`,
    );
    expect(control.answers).toBeGreaterThan(0.3 * summary.requests.answered);
    expect(lifted.answers).toBeGreaterThan(0.3 * summary.requests.answered);
    expect(control.events).toBeGreaterThan(0);
    expect(lifted.events).toBeGreaterThan(control.events);
    expect(liftedRate).toBeGreaterThan(1.5 * controlRate);
  });
});
