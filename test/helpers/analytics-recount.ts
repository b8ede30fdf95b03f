import type { Interaction } from '@streamrec/schemas';
import type { AnalyticsWorld, CdcChange, OrderLine, OrderState } from './analytics-world.js';
import { recountPairs } from './cooccurrence-recount.js';
import type { QueryRow } from './documented-queries.js';

/**
 * What each documented query of docs/analytics.md must answer for the analytics test's world, recounted
 * from the generated source data in TypeScript (not from ClickHouse), by the semantics docs/analytics.md
 * states: daily views sum inserted records (a re-sent event counts again, a stitched copy not), `FINAL`
 * collapses re-sent rows, the latest CDC change of an order wins, pairs follow the processor's rule.
 */
export interface RecountContext {
  readonly world: AnalyticsWorld;
  /** ClickHouse's now() and today() (days since 1970-01-01), so windows are cut where the server cuts them. */
  readonly nowMs: number;
  readonly today: number;
  /** The training run the test wrote for the world (the query reads model_runs). */
  readonly modelRun: QueryRow;
}

export interface QueryCheck {
  /** How the heading of the query in docs/analytics.md starts. */
  readonly title: string;
  readonly expected: (context: RecountContext) => QueryRow[];
  /** The columns that identify a row of the answer. */
  readonly key: readonly string[];
  /**
   * Whether only this run's rows can have those keys (its own industries, variants, item ids, run ids):
   * then the unscoped answer holds exactly the scoped row, if it is within the query's LIMIT. Otherwise
   * (days) the unscoped answer adds other data: its `counts` are at least the scoped ones.
   */
  readonly exclusive: boolean;
  readonly counts?: readonly string[];
  readonly tolerances?: Readonly<Record<string, number>>;
  /** The query orders by a value that can tie (revenue): compare the rows sorted by `key` instead. */
  readonly unordered?: boolean;
}

const DAY = 86_400_000;
const dayOf = (ms: number): number => Math.floor(ms / DAY);
const dateText = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
const stitched = (event: Interaction): boolean => event.event_id.startsWith('stitch:');
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
const money = (cents: number): string => (cents / 100).toFixed(2);
const cents = (text: string): number => Math.round(Number(text) * 100);
const count = <K>(map: Map<K, number>, key: K, by = 1): void => {
  map.set(key, (map.get(key) ?? 0) + by);
};
const byKey = <T>(rows: readonly T[], ...keys: ((row: T) => number | string)[]): T[] =>
  [...rows].sort((a, b) => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });

/**
 * ClickHouse's quantile(level) of an integer column, as its ReservoirSampler computes it: it keeps every one
 * of fewer than 8,192 values, takes index = level × (n − 1) in doubles and returns
 * left × (right_index − index) + right × (index − left_index), truncated to the argument's type (latency_ms
 * is UInt32). `a + (b − a) × frac` can differ in the last bit and truncate to the integer below.
 */
function clickHouseQuantile(level: number, values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.max(0, Math.min(sorted.length - 1, level * (sorted.length - 1)));
  const left = Math.floor(index);
  const low = sorted[left] ?? 0;
  if (left + 1 >= sorted.length) return low;
  return Math.trunc(low * (left + 1 - index) + (sorted[left + 1] ?? low) * (index - left));
}

/** The final state of each id after its CDC changes (a delete keeps the last image, deleted). */
function finalRows<Row extends { readonly id: number }>(changes: readonly CdcChange<Row>[]): Map<number, { row: Row; deleted: boolean }> {
  const rows = new Map<number, { row: Row; deleted: boolean; pos: number }>();
  for (const change of changes) {
    const current = rows.get(change.row.id);
    if (current === undefined || change.pos > current.pos) rows.set(change.row.id, { row: change.row, deleted: change.op === 'd', pos: change.pos });
  }
  return rows;
}

/** Per item: records per action of non-stitched interactions from `fromDay` on (what interactions_daily sums). */
function dailyCounts(world: AnalyticsWorld, fromDay: number): Map<number, Map<string, number>> {
  const perItem = new Map<number, Map<string, number>>();
  for (const event of world.interactions) {
    if (stitched(event) || dayOf(event.event_time) < fromDay) continue;
    const actions = perItem.get(event.item_id) ?? new Map<string, number>();
    count(actions, event.action);
    perItem.set(event.item_id, actions);
  }
  return perItem;
}

function paidOrders(world: AnalyticsWorld): OrderState[] {
  return [...finalRows(world.orders).values()].filter(({ row, deleted }) => !deleted && row.status === 'paid').map(({ row }) => row);
}

export const queryChecks: readonly QueryCheck[] = [
  {
    title: '1. Top 5 items per industry',
    key: ['industry', 'item_id'],
    exclusive: true,
    expected: ({ world, today }) => {
      const rows = [...dailyCounts(world, today - 7)].flatMap(([item, actions]) => {
        const known = world.items.find((entry) => entry.id === item);
        return known === undefined ? [] : [{ industry: known.industry, item_id: item, title: known.title, views: actions.get('view') ?? 0, purchases: actions.get('purchase') ?? 0 }];
      });
      const sorted = byKey(rows, (row) => row.industry, (row) => -row.views, (row) => row.item_id);
      return sorted.filter((row, index) => sorted.slice(0, index).filter((earlier) => earlier.industry === row.industry).length < 5);
    },
  },
  {
    title: '2. Funnel view',
    key: ['item_id'],
    exclusive: true,
    expected: ({ world, today }) => {
      const rows = [...dailyCounts(world, today - 30)].map(([item, actions]) => {
        const [views, carts, purchases] = [actions.get('view') ?? 0, actions.get('cart') ?? 0, actions.get('purchase') ?? 0];
        return { item_id: item, views, carts, purchases, view_to_cart: round(carts / Math.max(views, 1), 4), cart_to_purchase: round(purchases / Math.max(carts, 1), 4) };
      });
      return byKey(rows, (row) => -row.views, (row) => row.item_id).slice(0, 50);
    },
    tolerances: { view_to_cart: 1e-4, cart_to_purchase: 1e-4 },
  },
  {
    title: '3. CTR per recall channel',
    key: ['channel', 'variant'],
    exclusive: true,
    expected: ({ world, nowMs, today }) => {
      const impressions = new Map<string, number>();
      const logged = new Map<string, string>();
      for (const exposure of world.exposures) {
        for (const item of exposure.items) {
          const group = `${item.channel}\u0000${exposure.variant ?? ''}`;
          if (exposure.event_time >= nowMs - 8 * DAY) logged.set(`${exposure.request_id}\u0000${item.item_id}`, group);
          if (item.shown && dayOf(exposure.event_time) >= today - 7) count(impressions, group);
        }
      }
      const clicked = new Set(world.interactions.filter((event) => event.action === 'click' && (event.request_id ?? '') !== '' && event.event_time >= nowMs - 7 * DAY).map((event) => `${event.request_id ?? ''}\u0000${event.item_id}`));
      const clicks = new Map<string, number>();
      for (const click of clicked) if (logged.has(click)) count(clicks, logged.get(click) ?? '');
      return byKey([...impressions], ([group]) => group).map(([group, shown]) => {
        const [channel, variant] = group.split('\u0000');
        const clickCount = clicks.get(group) ?? 0;
        return { channel, variant, impressions: shown, clicks: clickCount, ctr: round(clickCount / Math.max(shown, 1), 4) };
      });
    },
    tolerances: { ctr: 1e-4 },
  },
  {
    title: '4. Revenue per day',
    key: ['day'],
    exclusive: false,
    counts: ['orders', 'revenue'],
    expected: ({ world, nowMs }) => {
      const orders = new Map<number, number>();
      const revenue = new Map<number, number>();
      for (const order of paidOrders(world)) {
        if (order.paid_at === null || Math.floor(order.paid_at / 1000) * 1000 < nowMs - 30 * DAY) continue;
        count(orders, dayOf(order.paid_at));
        count(revenue, dayOf(order.paid_at), cents(order.total_amount));
      }
      return byKey([...orders.keys()], (day) => day).map((day) => ({ day: dateText(day), orders: orders.get(day), revenue: money(revenue.get(day) ?? 0) }));
    },
  },
  {
    title: '5. Revenue per industry',
    key: ['industry'],
    exclusive: true,
    unordered: true,
    expected: ({ world }) => {
      const paid = new Set(paidOrders(world).map((order) => order.id));
      const revenue = new Map<string, number>();
      const units = new Map<string, number>();
      for (const { row, deleted } of finalRows<OrderLine>(world.orderItems).values()) {
        if (deleted || !paid.has(row.order_id)) continue;
        const industry = world.items.find((item) => item.id === row.dataset_id)?.industry ?? '';
        count(revenue, industry, cents(row.price) * row.quantity);
        count(units, industry, row.quantity);
      }
      return byKey([...revenue], ([, amount]) => -amount).map(([industry, amount]) => ({ industry, revenue: money(amount), units: units.get(industry) }));
    },
  },
  {
    title: '6. New vs returning users',
    key: ['day'],
    exclusive: false,
    counts: ['new_users', 'returning_users'],
    expected: ({ world, nowMs }) => {
      const signedIn = world.interactions.filter((event) => !event.user_id.startsWith('anon:'));
      const firstDay = new Map<string, number>();
      for (const event of signedIn) firstDay.set(event.user_id, Math.min(firstDay.get(event.user_id) ?? Infinity, dayOf(event.event_time)));
      const active = new Set(signedIn.filter((event) => Math.floor(event.event_time / 1000) * 1000 >= nowMs - 14 * DAY).map((event) => `${event.user_id}\u0000${dayOf(event.event_time)}`));
      const days = new Map<number, { new_users: number; returning_users: number }>();
      for (const entry of active) {
        const [user, day] = entry.split('\u0000');
        const counts = days.get(Number(day)) ?? { new_users: 0, returning_users: 0 };
        if (firstDay.get(user ?? '') === Number(day)) counts.new_users += 1;
        else counts.returning_users += 1;
        days.set(Number(day), counts);
      }
      return byKey([...days.keys()], (day) => day).map((day) => ({ day: dateText(day), ...days.get(day) }));
    },
  },
  {
    title: '7. Stitching share per day',
    key: ['day'],
    exclusive: false,
    counts: ['events', 'stitched', 'users_stitched'],
    expected: ({ world, nowMs }) => {
      const events = new Map<number, Set<string>>();
      const copies = new Map<number, Set<string>>();
      const users = new Map<number, Set<string>>();
      const add = (map: Map<number, Set<string>>, day: number, value: string): void => {
        map.set(day, (map.get(day) ?? new Set()).add(value));
      };
      for (const event of world.interactions) {
        if (Math.floor(event.event_time / 1000) * 1000 < nowMs - 30 * DAY) continue;
        const day = dayOf(event.event_time);
        add(events, day, event.event_id);
        if (!stitched(event)) continue;
        add(copies, day, event.event_id);
        add(users, day, event.user_id);
      }
      return byKey([...events.keys()], (day) => day).map((day) => {
        const [all, stitchedIds] = [events.get(day)?.size ?? 0, copies.get(day)?.size ?? 0];
        return { day: dateText(day), events: all, stitched: stitchedIds, stitched_share: round(stitchedIds / all, 4), users_stitched: users.get(day)?.size ?? 0 };
      });
    },
    tolerances: { stitched_share: 1e-4 },
  },
  {
    title: '8. Most co-viewed item pairs',
    key: ['item_id', 'other_item_id'],
    exclusive: true,
    expected: ({ world, today }) => {
      const totals = new Map<string, { item_id: number; other_item_id: number; pairs: number; weight: number }>();
      for (const [key, total] of recountPairs(world.interactions)) {
        const [day, low, high] = key.split('|').map(Number) as [number, number, number];
        if (day < today - 30) continue;
        const pair = totals.get(`${low}|${high}`) ?? { item_id: low, other_item_id: high, pairs: 0, weight: 0 };
        pair.pairs += total.pairCount;
        pair.weight += total.weight;
        totals.set(`${low}|${high}`, pair);
      }
      return byKey([...totals.values()], (row) => -row.pairs, (row) => row.item_id, (row) => row.other_item_id)
        .slice(0, 20)
        .map((row) => ({ ...row, weight: round(row.weight, 2) }));
    },
    tolerances: { weight: 1e-2 },
  },
  {
    title: '9. Exact events and users per action and day',
    key: ['event_date', 'action'],
    exclusive: false,
    counts: ['exact_events', 'inserted_rows'],
    expected: ({ world, today }) => {
      const groups = new Map<string, { ids: Set<string>; rows: number; users: Set<string> }>();
      for (const event of world.interactions) {
        if (stitched(event) || dayOf(event.event_time) < today - 7) continue;
        const key = `${dateText(dayOf(event.event_time))}\u0000${event.action}`;
        const group = groups.get(key) ?? { ids: new Set(), rows: 0, users: new Set() };
        group.ids.add(event.event_id);
        group.rows += 1;
        group.users.add(event.user_id);
        groups.set(key, group);
      }
      const actionOrder = ['view', 'click', 'download', 'favorite', 'cart', 'purchase'];
      const rows = [...groups].map(([key, group]) => {
        const [eventDate, action] = key.split('\u0000') as [string, string];
        return { event_date: eventDate, action, exact_events: group.ids.size, inserted_rows: group.rows, users_approx: group.users.size };
      });
      // ORDER BY an Enum8 sorts by its value (view = 1 … purchase = 6).
      return byKey(rows, (row) => row.event_date, (row) => actionOrder.indexOf(row.action));
    },
    // uniq() is approximate by definition.
    tolerances: { users_approx: 0.02 },
  },
  {
    title: '10. Serving health per day',
    key: ['day'],
    exclusive: false,
    counts: ['responses', 'degraded'],
    expected: ({ world, nowMs }) => {
      const days = new Map<number, { responses: number; degraded: number; latencies: number[] }>();
      for (const exposure of world.exposures) {
        if (Math.floor(exposure.event_time / 1000) * 1000 < nowMs - 7 * DAY) continue;
        const day = days.get(dayOf(exposure.event_time)) ?? { responses: 0, degraded: 0, latencies: [] };
        day.responses += 1;
        day.degraded += exposure.degraded_reasons.length > 0 ? 1 : 0;
        day.latencies.push(exposure.latency_ms);
        days.set(dayOf(exposure.event_time), day);
      }
      return byKey([...days.keys()], (day) => day).map((key) => {
        const day = days.get(key) ?? { responses: 0, degraded: 0, latencies: [] };
        return { day: dateText(key), responses: day.responses, degraded: day.degraded, degraded_share: round(day.degraded / day.responses, 4), p95_latency_ms: clickHouseQuantile(0.95, day.latencies) };
      });
    },
    tolerances: { degraded_share: 1e-4, p95_latency_ms: 1e-6 },
  },
  {
    title: 'Bonus: the latest training runs',
    key: ['run_id'],
    exclusive: true,
    expected: ({ modelRun }) => [modelRun],
  },
];
