import type { Kafka, Producer } from 'kafkajs';
import { createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString, type Exposure, type Interaction, type InteractionAction, type ItemChange, type UserChange } from '@streamrec/schemas';
import { seededRandom } from '@streamrec/streams-common/testing';
import { createTopicsReady } from '@streamrec/foundation/kafka';

/**
 * A small seeded marketplace for the analytics test, everything in this run's own id space, so every row
 * it leaves in the shared ClickHouse tables is its own: items and users in random high ranges, industries
 * and experiment variants named after the run, anonymous visitors with the run's own visitor ids. Five
 * days of storefront life up to an hour ago: sessions around each user's favourite items (views, clicks,
 * carts, favourites, downloads, purchases with orders), anonymous visitors who log in (the normaliser's
 * stitched copies), re-sent events (Debezium's at-least-once), recommendation answers with the variant, the
 * ranking features and degraded ones, and the clicks that followed them; orders with their CDC changes
 * (paid, cancelled, refunded, one deleted). Pure: the test produces it into its own topics.
 */
export interface WorldTopics {
  readonly interactions: string;
  readonly items: string;
  readonly users: string;
  readonly exposures: string;
  readonly orders: string;
  readonly orderItems: string;
  readonly pairs: string;
}

export interface OrderState {
  readonly id: number;
  readonly user_id: number;
  readonly status: 'pending' | 'paid' | 'cancelled' | 'refunded';
  readonly total_amount: string;
  readonly currency: string;
  readonly created_at: number;
  readonly paid_at: number | null;
  readonly updated_at: number;
}

export interface OrderLine {
  readonly id: number;
  readonly order_id: number;
  readonly dataset_id: number;
  readonly price: string;
  readonly quantity: number;
}

/** One Debezium change, in binlog order (`pos` grows). */
export interface CdcChange<Row> {
  readonly op: 'c' | 'u' | 'd';
  readonly row: Row;
  readonly pos: number;
}

export interface AnalyticsWorld {
  readonly run: string;
  readonly topics: WorldTopics;
  readonly items: readonly ItemChange[];
  /** Ids of every item that occurs (catalogued ones and two the catalogue does not know). */
  readonly itemRange: { readonly first: number; readonly last: number };
  readonly industries: readonly string[];
  readonly variants: readonly string[];
  readonly users: readonly UserChange[];
  /** What the signed-in users' ids start with (`npm run retrain -- --user-prefix`). */
  readonly userIdPrefix: string;
  /** In production order, duplicates and stitched copies included. */
  readonly interactions: readonly Interaction[];
  readonly exposures: readonly Exposure[];
  readonly orders: readonly CdcChange<OrderState>[];
  readonly orderItems: readonly CdcChange<OrderLine>[];
  readonly featureNames: readonly string[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ITEMS = 60;
const USERS = 40;
const VISITORS = 8;
const FEATURES = ['fused_score', 'item_ctr', 'item_popularity_log'] as const;
const CHANNELS = ['popular', 'cooccurrence', 'tag'] as const;
const browse: readonly [InteractionAction, number][] = [
  ['view', 0.62],
  ['click', 0.77],
  ['favorite', 0.82],
  ['cart', 0.9],
  ['download', 0.95],
  ['purchase', 1],
];

export function buildAnalyticsWorld(options: { readonly run: string; readonly seed: number; readonly nowMs: number }): AnalyticsWorld {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const run = options.run;
  const firstItem = 6_000_000_000 + Math.floor(random() * 1_000_000) * 100;
  const userBase = 6_100_000_000 + Math.floor(random() * 1_000_000) * 1_000;
  const orderBase = 6_200_000_000 + Math.floor(random() * 1_000_000) * 1_000;
  const visitorHex = Array.from({ length: 12 }, () => Math.floor(random() * 16).toString(16)).join('');
  const industries = ['finance', 'energy', 'retail'].map((name) => `${run}-${name}`);
  const variants = [`${run}-control`, `${run}-boost`];
  const start = options.nowMs - 5 * DAY;
  const end = options.nowMs - HOUR;

  const prices = new Map<number, string>();
  const items: ItemChange[] = Array.from({ length: ITEMS }, (_, index) => {
    const id = firstItem + index;
    const price = pick(['0.00', '19.90', '49.00', '120.50', '899.00']);
    prices.set(id, price);
    return {
      id,
      title: `${run} dataset ${index}`,
      description: 'analytics test',
      tags: [pick(['rates', 'prices', 'geo', 'power'])],
      industry: industries[index % industries.length] ?? '',
      price: decimalFromString(price),
      status: 'listed',
      available: true,
      deleted: false,
      created_at: start - DAY,
      updated_at: start - DAY,
      source_version: index + 1,
    };
  });
  const priceOf = (item: number): string => prices.get(item) ?? '9.99';
  const users: UserChange[] = Array.from({ length: USERS }, (_, index) => ({
    id: userBase + index,
    industry: pick(['finance', 'energy', 'retail']),
    country: pick(['CN', 'DE', 'US']),
    company_size: null,
    segment: null,
    created_at: start - 10 * DAY,
    updated_at: start - 10 * DAY,
    deleted: false,
    source_version: index + 1,
  }));
  const visitors = Array.from({ length: VISITORS }, (_, index) => `anon:${visitorHex}${index.toString(16).padStart(4, '0')}`);
  const homes = new Map<string, number>([...users.map((user) => String(user.id)), ...visitors].map((id) => [id, Math.floor(random() * (ITEMS + 2))]));

  const events: Interaction[] = [];
  const interaction = (user: string, item: number, action: InteractionAction, time: number, requestId: string | null = null): Interaction => {
    const priced = action === 'cart' || action === 'purchase';
    const event: Interaction = {
      event_id: `an:${run}:${events.length}`,
      user_id: user,
      visitor_id: user.startsWith('anon:') ? user.slice(5) : null,
      item_id: item,
      action,
      event_time: time,
      source: requestId === null ? pick(['matomo', 'shop'] as const) : 'beacon',
      session_id: `s-${user}-${Math.floor(time / (30 * MINUTE))}`,
      price: priced ? decimalFromString(priceOf(item)) : null,
      quantity: action === 'purchase' ? 1 + Math.floor(random() * 2) : priced ? 1 : null,
      request_id: requestId,
      ingest_time: time + 500 + Math.floor(random() * 3_000),
    };
    events.push(event);
    return event;
  };
  const near = (home: number): number => firstItem + Math.min(ITEMS + 1, Math.max(0, home + Math.floor(random() * 9) - 4));

  // Browsing sessions: 2–8 events a few minutes apart around the visitor's favourite items.
  for (let session = 0; session < 320; session += 1) {
    const user = random() < 0.75 ? String(pick(users).id) : pick(visitors);
    let time = start + Math.floor(random() * (end - start - 2 * HOUR));
    for (let step = 2 + Math.floor(random() * 7); step > 0; step -= 1) {
      const roll = random();
      const action = user.startsWith('anon:') ? (roll < 0.8 ? 'view' : 'click') : (browse.find(([, upTo]) => roll < upTo)?.[0] ?? 'view');
      interaction(user, near(homes.get(user) ?? 0), action, time);
      time += MINUTE + Math.floor(random() * 4 * MINUTE);
    }
  }

  // Recommendation answers, and what their users did with them.
  const exposures: Exposure[] = [];
  for (let request = 0; request < 140; request += 1) {
    const user = pick(users);
    const time = start + Math.floor(random() * (end - start - 2 * HOUR));
    const degraded = random() < 0.12;
    const home = homes.get(String(user.id)) ?? 0;
    const logged = [...new Set(Array.from({ length: 16 }, () => near(home)))].slice(0, 11);
    const shownCount = Math.min(8, logged.length - 1);
    const scores = logged.map(() => random());
    const requestId = `an-req-${run}-${request}`;
    exposures.push({
      request_id: requestId,
      user_id: String(user.id),
      event_time: time,
      scene: 'home',
      experiment: `${run}-exp`,
      variant: variants[user.id % variants.length] ?? null,
      model_name: degraded ? null : 'ranker',
      model_version: degraded ? null : 'analytics-test',
      degraded_reasons: degraded ? ['redis_timeout'] : [],
      latency_ms: 5 + Math.floor(random() * 120),
      feature_names: degraded ? [] : [...FEATURES],
      items: logged.map((item, position) => ({
        item_id: item,
        position,
        channel: CHANNELS[(item + position) % CHANNELS.length] ?? 'popular',
        score: Math.fround(degraded ? 0 : 1 - position / 20),
        features: degraded ? [] : [Math.fround(scores[position] ?? 0), Math.fround(random() / 10), Math.fround(random() * 3)],
        shown: position < shownCount,
      })),
      ingest_time: time + 20,
    });
    if (degraded || random() < 0.35) continue;
    // The user clicks the shown item with the highest fused score (the signal a ranker can learn), sometimes downloads it.
    const best = logged.slice(0, shownCount).reduce((top, item, position) => ((scores[position] ?? 0) > (scores[logged.indexOf(top)] ?? 0) ? item : top), logged[0] ?? firstItem);
    const clickAt = time + 10_000 + Math.floor(random() * 10 * MINUTE);
    interaction(String(user.id), best, 'click', clickAt, requestId);
    if (random() < 0.3) interaction(String(user.id), best, 'download', clickAt + 2 * MINUTE, requestId);
  }
  events.sort((a, b) => a.event_time - b.event_time);

  // Three visitors log in: the normaliser re-emits their earlier events under the account, at login time.
  const stream: Interaction[] = [...events];
  for (const [index, visitor] of visitors.slice(0, 3).entries()) {
    const account = String(users[index]?.id ?? userBase);
    const earlier = events.filter((event) => event.user_id === visitor);
    const loginAt = (earlier.at(-1)?.event_time ?? start) + 5 * MINUTE;
    const at = stream.findIndex((event) => event.event_time > loginAt);
    const copies = earlier.map((event): Interaction => ({ ...event, event_id: `stitch:${account}:${event.event_id}`, user_id: account, ingest_time: loginAt }));
    stream.splice(at < 0 ? stream.length : at, 0, ...copies);
  }
  // About 1 % arrive a second time a little later (same record, new offset).
  for (let index = stream.length - 1; index >= 0; index -= 1) {
    if (random() < 0.01) stream.splice(Math.min(stream.length, index + 1 + Math.floor(random() * 30)), 0, stream[index] as Interaction);
  }

  // Orders: each purchase of a signed-in user is an order of one line, created pending, then paid
  // (most), cancelled or refunded later; one is deleted.
  const orders: CdcChange<OrderState>[] = [];
  const orderItems: CdcChange<OrderLine>[] = [];
  let pos = 4;
  const purchases = events.filter((event) => event.action === 'purchase' && !event.user_id.startsWith('anon:'));
  for (const [index, purchase] of purchases.entries()) {
    const id = orderBase + index;
    const price = priceOf(purchase.item_id);
    const quantity = purchase.quantity ?? 1;
    const created: OrderState = {
      id,
      user_id: Number(purchase.user_id),
      status: 'pending',
      total_amount: (Number(price) * quantity).toFixed(2),
      currency: 'CNY',
      created_at: purchase.event_time - MINUTE,
      paid_at: null,
      updated_at: purchase.event_time - MINUTE,
    };
    orders.push({ op: 'c', row: created, pos: (pos += 100) });
    orderItems.push({ op: 'c', row: { id, order_id: id, dataset_id: purchase.item_id, price, quantity }, pos: (pos += 100) });
    const roll = random();
    const paid: OrderState = { ...created, status: 'paid', paid_at: purchase.event_time, updated_at: purchase.event_time };
    if (roll < 0.1) orders.push({ op: 'u', row: { ...created, status: 'cancelled', updated_at: purchase.event_time }, pos: (pos += 100) });
    else orders.push({ op: 'u', row: paid, pos: (pos += 100) });
    if (roll >= 0.1 && roll < 0.18) orders.push({ op: 'u', row: { ...paid, status: 'refunded', updated_at: purchase.event_time + HOUR }, pos: (pos += 100) });
    if (index === 0) orders.push({ op: 'd', row: paid, pos: (pos += 100) });
  }

  return {
    run,
    topics: {
      interactions: `test.analytics.${run}.interactions`,
      items: `test.analytics.${run}.items`,
      users: `test.analytics.${run}.users`,
      exposures: `test.analytics.${run}.exposures`,
      orders: `test.analytics.${run}.orders`,
      orderItems: `test.analytics.${run}.order-items`,
      pairs: `test.analytics.${run}.pairs`,
    },
    items,
    itemRange: { first: firstItem, last: firstItem + ITEMS + 1 },
    industries,
    variants,
    users,
    userIdPrefix: String(userBase).slice(0, -3),
    interactions: stream,
    exposures,
    orders,
    orderItems,
    featureNames: [...FEATURES],
  };
}

/** Creates the world's topics (the partition counts of schemas/topics.json) and produces it. */
export async function produceWorld(kafka: Kafka, world: AnalyticsWorld): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const partitions: Record<keyof WorldTopics, number> = { interactions: 6, items: 3, users: 3, exposures: 6, orders: 3, orderItems: 3, pairs: 6 };
    await createTopicsReady(admin, { topics: (Object.keys(world.topics) as (keyof WorldTopics)[]).map((name) => ({ topic: world.topics[name], numPartitions: partitions[name] })) });
  } finally {
    await admin.disconnect();
  }
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const send = async (topic: string, messages: { key: string; value: Buffer | string }[]): Promise<void> => {
      for (let index = 0; index < messages.length; index += 2_000) await producer.send({ topic, acks: -1, messages: messages.slice(index, index + 2_000) });
    };
    const codec = { item: createEventCodec('events.items.v1'), user: createEventCodec('events.users.v1'), interaction: createEventCodec('events.interactions.v1'), exposure: createEventCodec('serving.exposures.v1') };
    await send(world.topics.items, world.items.map((item) => ({ key: String(item.id), value: codec.item.encode(item) })));
    await send(world.topics.users, world.users.map((user) => ({ key: String(user.id), value: codec.user.encode(user) })));
    await send(world.topics.interactions, world.interactions.map((event) => ({ key: event.user_id, value: codec.interaction.encode(event) })));
    await send(world.topics.exposures, world.exposures.map((exposure) => ({ key: exposure.user_id, value: codec.exposure.encode(exposure) })));
    const envelope = <Row extends { readonly id: number }>(change: CdcChange<Row>): { key: string; value: string } => ({
      key: JSON.stringify({ id: change.row.id }),
      value: JSON.stringify({ op: change.op, before: change.op === 'c' ? null : change.row, after: change.op === 'd' ? null : change.row, source: { file: 'binlog.000001', pos: change.pos, ts_ms: 0 } }),
    });
    await send(world.topics.orders, world.orders.map(envelope));
    await send(world.topics.orderItems, world.orderItems.map(envelope));
  } finally {
    await producer.disconnect();
  }
}
