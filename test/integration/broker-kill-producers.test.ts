/**
 * Integration (the local stack: MariaDB → Debezium → Kafka, Redis; issue 15, item 2): the broker is killed
 * with SIGKILL while normalize's and the API's producers write, and started again by the stack script.
 * (`broker-kill.test.ts` does the same to the stream processors' producers.)
 *
 * - normalize (its own group and state version) turns shop and Matomo rows written before, during and after
 *   the outage into interactions on events.interactions.v1;
 * - the API (its own world) takes beacons, answering 202 only once Kafka has the event (the client sends
 *   anything else again with the same event_id), and serves answers whose exposures wait in its queue.
 *
 * Afterwards every row's interaction, every accepted beacon and every served answer's exposure is in its
 * topic (no acknowledged record lost), every event id of a beacon once among the accepted ones, and both
 * processes are still the ones started: nothing needed a restart.
 */
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import { startApiWorld, worldKeys, type ApiWorld } from '../helpers/api-world.js';
import { writeMatomoRows, writeShopRows } from '../helpers/normalize-rows.js';
import { startOwnNormalize, type OwnNormalize } from '../helpers/own-normalize.js';
import { killStackBroker, stackScript } from '../helpers/stack-broker.js';
import { connectMariaDb, createKafka, uniqueSuffix } from '../helpers/stack.js';
import { TopicTail } from '../helpers/topic-tail.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix();
const kafka = createKafka('test-broker-kill-producers');
const interactionCodec = createEventCodec(AvroSchemaName.Interactions);
const exposureCodec = createEventCodec(AvroSchemaName.Exposures);
/** Rounds of writes; the broker dies at KILL_AT and is started again while the rounds go on. */
const ROUNDS = 24;
const KILL_AT = 6;
let world: ApiWorld;
let normalize: OwnNormalize;
let shop: Connection;
let matomo: Connection;
let tail: TopicTail | undefined;

/** Event ids of the decodable records of a topic the tail read. */
function eventIds(records: readonly { value: Buffer | null }[], decode: (value: Buffer) => string): string[] {
  return records.flatMap((record) => {
    try {
      return [decode(record.value ?? Buffer.alloc(0))];
    } catch {
      return [];
    }
  });
}

beforeAll(async () => {
  [shop, matomo] = await Promise.all([connectMariaDb('shop'), connectMariaDb('matomo')]);
  world = await startApiWorld();
  normalize = await startOwnNormalize('broker-kill-producers', suffix, 700_000, { STREAMREC_NORMALIZE_MAX_RETRY_DELAY_MS: '1000' });
}, 120_000);

afterAll(async () => {
  // The broker must be back for the files after this one, whatever happened here.
  const up = await stackScript('up', 'kafka');
  if (up.code !== 0) console.error(up.output.slice(-2000));
  await tail?.stop().catch(() => undefined);
  await normalize?.stop().catch(() => undefined);
  await world?.stop().catch(() => undefined);
  await Promise.all([shop?.end(), matomo?.end()]);
}, 600_000);

describe('the broker killed with SIGKILL while normalize and the API produce', () => {
  it('loses no acknowledged record: every row becomes an interaction, every accepted beacon and every answer’s exposure is in Kafka', async () => {
    const topics = [AvroSchemaName.Interactions, world.topics.interactions, world.topics.exposures];
    const reader = new TopicTail(kafka, topics);
    const startOffsets = await reader.highWatermarks();
    const rowEvents: string[] = [];
    const pendingBeacons = new Map<string, { event_id: string; user_id: string; item_id: string; action: string }>();
    const acceptedBeacons: string[] = [];
    const requestIds: string[] = [];
    const statuses = new Map<number, number>();
    let restarted: Promise<void> | undefined;
    let brokerBack = false;
    /** Beacons sent while the broker was dead and not yet started again. */
    let sentDuringOutage = 0;

    /** Sends every pending beacon once; the accepted ones leave the list. */
    const sendBeacons = async (): Promise<void> => {
      for (const [id, beacon] of pendingBeacons) {
        if (restarted !== undefined && !brokerBack) sentDuringOutage += 1;
        const { status } = await world.post('/v1/events', beacon, worldKeys.events);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 202) {
          acceptedBeacons.push(id);
          pendingBeacons.delete(id);
        } else {
          expect(status).toBe(503); // Kafka did not take it: sent again with the same event_id
        }
      }
    };

    for (let round = 0; round < ROUNDS; round += 1) {
      if (round === KILL_AT) {
        await killStackBroker();
        restarted = (async () => {
          const up = await stackScript('up', 'kafka');
          expect(up.code, up.output.slice(-2000)).toBe(0);
          brokerBack = true;
        })();
      }
      // Beacons first: in the round of the kill they reach the API's producer before the broker can be back.
      for (let beacon = 0; beacon < 3; beacon += 1) {
        const id = `bkp-${suffix}-${round}-${beacon}`;
        pendingBeacons.set(id, { event_id: id, user_id: `bkp-user-${round}`, item_id: String(1 + ((round + beacon) % 40)), action: 'view' });
      }
      await sendBeacons();
      const rows = await writeShopRows(shop, `bkp-${suffix}-${round}`);
      const visits = await writeMatomoRows(matomo, rows.datasetId, rows.userId);
      rowEvents.push(...rows.eventIds, ...visits.eventIds);
      const answer = await world.get<{ request_id: string }>(`/v1/recommendations?user_id=bkp-user-${round}`);
      expect(answer.status).toBe(200);
      requestIds.push(answer.body.request_id);
    }
    await restarted;
    expect(brokerBack).toBe(true);
    // A client sends what was refused again once Kafka is back.
    await waitFor(
      async () => {
        await sendBeacons();
        return pendingBeacons.size === 0;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'every beacon to be accepted' },
    );

    tail = reader;
    await reader.start(startOffsets);
    const interactionIds = (): Set<string> => new Set(eventIds(reader.of(AvroSchemaName.Interactions), (value) => interactionCodec.decode(value).event_id));
    await waitFor(() => rowEvents.every((id) => interactionIds().has(id)), { timeoutMs: 180_000, intervalMs: 500, description: 'every row written to MariaDB as an interaction' });
    const beaconIds = (): string[] => eventIds(reader.of(world.topics.interactions), (value) => interactionCodec.decode(value).event_id);
    // The API keeps a beacon's event_id under its `beacon:` namespace.
    await waitFor(() => acceptedBeacons.every((id) => beaconIds().includes(`beacon:${id}`)), { timeoutMs: 60_000, intervalMs: 500, description: 'every accepted beacon in its topic' });
    const exposureIds = (): Set<string> => new Set(eventIds(reader.of(world.topics.exposures), (value) => exposureCodec.decode(value).request_id));
    await waitFor(() => requestIds.every((id) => exposureIds().has(id)), { timeoutMs: 120_000, intervalMs: 500, description: 'every served answer’s exposure in its topic' });

    console.log(`broker-kill-producers: ${rowEvents.length} row events, beacon answers ${JSON.stringify(Object.fromEntries(statuses))} (${sentDuringOutage} sent while the broker was down), ${requestIds.length} answers`);
    expect(sentDuringOutage).toBeGreaterThan(0);
    expect(new Set(acceptedBeacons).size).toBe(ROUNDS * 3);
    expect(normalize.processor().isRunning()).toBe(true);
    expect((await world.opsGet('/readyz')).status).toBe(200);
  }, 900_000);
});
