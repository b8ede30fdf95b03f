import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString, type ItemChange } from '@streamrec/schemas';
import { ItemActivityKind } from '@streamrec/streams-common';
import { itemActivityFromWire } from '@streamrec/streams-common/wire';
import { streamContext } from '../domain/test-fixtures.js';
import { createCatalogueRelayHandler } from './catalogue-relay-handler.js';

const items = createEventCodec('events.items.v1');
const activity = createEventCodec('repartition.item-activity.v1');

function change(id: number, available: boolean, deleted = false): ItemChange {
  return { id, title: 't', description: '', tags: ['rates'], industry: 'finance', price: decimalFromString('1.00'), status: 'listed', available, deleted, created_at: 0, updated_at: 1_000, source_version: 3 };
}

function record(offset: number, value: Buffer | null): ConsumedRecord {
  return { topic: 'events.items.v1', partition: 0, offset: BigInt(offset), key: null, value, timestampMs: 0 };
}

describe('the catalogue relay handler', () => {
  it('relays unavailable and deleted items only, on commit, and dead-letters garbage', async () => {
    const sent: { key: string; partition?: number; value: Buffer }[] = [];
    const handler = createCatalogueRelayHandler({ context: streamContext, items, activity, sink: { send: (messages) => Promise.resolve(void sent.push(...messages)) } });
    const prepared = await handler.prepare({
      topic: 'events.items.v1',
      partition: 0,
      records: [record(0, items.encode(change(1, true))), record(1, items.encode(change(2, false))), record(2, items.encode(change(3, true, true))), record(3, Buffer.from('x')), record(4, null)],
    });
    expect(prepared.deadLetters).toEqual([expect.objectContaining({ offset: 3n, code: ErrorCode.PayloadInvalid })]);
    expect(sent).toEqual([]);
    await prepared.commit();
    const relayed = sent.map((message) => [message.key, itemActivityFromWire(activity.decode(message.value))] as const);
    expect(relayed.map(([key, record]) => [key, record?.kind, record?.dedupId])).toEqual([
      ['2', ItemActivityKind.Availability, 'availability:2:3'],
      ['3', ItemActivityKind.Availability, 'availability:3:3'],
    ]);
  });
});
