import { decimalFromString, type Interaction, type InteractionAction, type ItemChange } from '@streamrec/schemas';
import { seededRandom } from '@streamrec/streams-common/testing';

/** A seeded, realistic-looking synthetic workload: a catalogue and a stream of interactions over a few days. */
export interface SyntheticWorkload {
  readonly catalogue: readonly ItemChange[];
  /** In production order; a few are exact re-sends of earlier events (same event id, at a later position). */
  readonly interactions: readonly Interaction[];
  readonly duplicates: number;
}

export interface WorkloadOptions {
  readonly seed: number;
  readonly events: number;
  readonly users: number;
  readonly items: number;
  /** Item ids are firstItemId … firstItemId + items − 1 (a high range keeps them apart from real datasets). */
  readonly firstItemId: number;
  /** Event times run from `startMs` over `spanMs`. */
  readonly startMs: number;
  readonly spanMs: number;
  readonly eventIdPrefix: string;
}

const industries = ['finance', 'energy', 'health', 'retail', 'mobility', 'agri', 'telecom', 'public'] as const;
const tagPool = ['daily', 'rates', 'prices', 'geo', 'weather', 'census', 'esg', 'power', 'trade', 'credit', 'fx', 'crop', 'traffic', 'churn', 'sales', 'b2b'];
/** view 70 %, click 12 %, download 6 %, cart 5 %, favorite 4 %, purchase 3 %. */
const actionTable: readonly [InteractionAction, number][] = [
  ['view', 0.7],
  ['click', 0.82],
  ['download', 0.88],
  ['cart', 0.93],
  ['favorite', 0.97],
  ['purchase', 1],
];

/** Zipf-like rank in [0, n): a long tail where rank 0 is the most frequent. */
function zipf(random: () => number, n: number, exponent: number): number {
  // Inverse-transform of a continuous power law on [1, n+1), good enough for a long tail.
  const a = 1 - exponent;
  const u = random();
  const x = ((Math.pow(n + 1, a) - 1) * u + 1) ** (1 / a);
  return Math.min(n - 1, Math.floor(x) - 1);
}

export function generateWorkload(options: WorkloadOptions): SyntheticWorkload {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const itemIds = Array.from({ length: options.items }, (_, index) => options.firstItemId + index);
  // 90 % of the items are catalogued (listed); the rest are unknown to the catalogue (no affinity).
  const catalogue: ItemChange[] = itemIds
    .filter(() => random() < 0.9)
    .map((id) => {
      const tags = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(tagPool)))];
      const price = random() < 0.15 ? '0.00' : (5 + Math.floor(random() * 4000)).toFixed(2);
      return { id, title: `dataset ${id}`, description: 'synthetic', tags, industry: pick(industries), price: decimalFromString(price), status: 'listed', available: true, deleted: false, created_at: options.startMs - 86_400_000, updated_at: options.startMs - 86_400_000, source_version: id };
    });
  // Each user has a favourite neighbourhood of items (co-browsing structure) and an activity level.
  const users = Array.from({ length: options.users }, (_, index) => ({ id: `u${index}`, home: zipf(random, options.items, 1.05) }));
  const interactions: Interaction[] = [];
  let duplicates = 0;
  const pendingDuplicates: { at: number; value: Interaction }[] = [];
  for (let n = 0; n < options.events; n += 1) {
    const eventTime = options.startMs + Math.floor((n / options.events) * options.spanMs) + Math.floor(random() * 1_000);
    const user = users[zipf(random, users.length, 0.6)] as (typeof users)[number];
    // 60 %: an item near the user's neighbourhood; 40 %: the global long tail.
    const rank = random() < 0.6 ? Math.min(options.items - 1, Math.max(0, user.home + Math.floor(random() * 9) - 4)) : zipf(random, options.items, 1.1);
    const roll = random();
    const action = actionTable.find(([, upTo]) => roll < upTo)?.[0] ?? 'view';
    const priced = action === 'purchase' || action === 'cart';
    const value: Interaction = {
      event_id: `${options.eventIdPrefix}:${n}`,
      user_id: user.id,
      visitor_id: null,
      item_id: itemIds[rank] as number,
      action,
      event_time: eventTime,
      source: 'beacon',
      session_id: `s-${user.id}-${Math.floor(eventTime / 1_800_000)}`,
      price: priced ? decimalFromString((1 + Math.floor(random() * 500)).toFixed(2)) : null,
      quantity: action === 'purchase' ? 1 : null,
      request_id: action === 'click' && random() < 0.3 ? `req-${n}` : null,
      ingest_time: eventTime + 500 + Math.floor(random() * 4_000),
    };
    // Debezium-style re-delivery: about 1 % of the events come again a little later (same id, new offset).
    if (random() < 0.01) pendingDuplicates.push({ at: n + 1 + Math.floor(random() * 2_000), value });
    const due = pendingDuplicates.filter((pending) => pending.at <= n);
    interactions.push(value);
    for (const pending of due) {
      interactions.push(pending.value);
      duplicates += 1;
    }
    pendingDuplicates.splice(0, pendingDuplicates.length, ...pendingDuplicates.filter((pending) => pending.at > n));
  }
  return { catalogue, interactions, duplicates };
}

/** Distinct event ids per item, counted from the generated data alone (the independent recount). */
export function distinctEventsPerItem(interactions: readonly Interaction[]): Map<number, number> {
  const ids = new Map<number, Set<string>>();
  for (const interaction of interactions) {
    const set = ids.get(interaction.item_id) ?? new Set<string>();
    set.add(interaction.event_id);
    ids.set(interaction.item_id, set);
  }
  return new Map([...ids].map(([item, set]) => [item, set.size]));
}
