import { AppError, ErrorCode } from '@streamrec/foundation';
import { InteractionAction, type ItemActivityWire } from '@streamrec/schemas';
import { ItemActivityKind, itemIdOf, userIdOf, type CoItemNeighbour, type ItemActivityRecord } from '../domain/index.js';

/**
 * repartition.item-activity.v1 on the wire (snake_case Avro, one nullable payload per kind) ↔ the
 * domain's ItemActivityRecord. Pure mapping; the Avro codec does the bytes.
 */
export function itemActivityToWire(record: ItemActivityRecord): ItemActivityWire {
  switch (record.kind) {
    case ItemActivityKind.Activity:
      return wireOf(
        record,
        {
          event_id: record.eventId,
          user: record.user,
          action: record.action,
          request_id: record.requestId,
          catalogued: record.catalogued,
          industry: record.industry,
          tags: [...record.tags],
        },
        null,
        null,
        null,
      );
    case ItemActivityKind.CoItems: {
      const neighbours = new Array<{ item: string; cooccurrence: number; transition: number }>(record.neighbours.length);
      for (let index = 0; index < neighbours.length; index += 1) {
        const neighbour = record.neighbours[index] as CoItemNeighbour;
        neighbours[index] = { item: neighbour.item, cooccurrence: neighbour.cooccurrence, transition: neighbour.transition };
      }
      return wireOf(record, null, { event_id: record.eventId, user: record.user, neighbours }, null, null);
    }
    case ItemActivityKind.Exposure:
      return wireOf(record, null, null, { request_id: record.requestId, user: record.user, position: record.position }, null);
    case ItemActivityKind.Availability:
      return wireOf(record, null, null, null, {
        available: record.available,
        deleted: record.deleted,
        industry: record.industry,
        tags: [...record.tags],
        source_version: record.sourceVersion,
      });
  }
}

/**
 * The wire record with its one payload: every field written out, no object spread (this runs per record
 * on the hot path, where V8 copies a spread base several times slower than it builds a literal).
 */
function wireOf(
  record: ItemActivityRecord,
  activity: ItemActivityWire['activity'],
  coItems: ItemActivityWire['co_items'],
  exposure: ItemActivityWire['exposure'],
  availability: ItemActivityWire['availability'],
): ItemActivityWire {
  return { kind: record.kind, dedup_id: record.dedupId, item: record.item, event_time: record.eventTime, activity, co_items: coItems, exposure, availability };
}

const actions = new Set<string>(Object.values(InteractionAction));

/** What reads a record's leading string field from its bytes (`AvroCodec.peekLeadingString`). */
export interface LeadingStringPeek {
  peekLeadingString(payload: Uint8Array): string | undefined;
}

/**
 * Whether a stage that uses only `kinds` can skip this repartition record undecoded: its kind, read from
 * its bytes, is another one (or a newer producer's, which decoding would skip too). False when the kind
 * cannot be read that way: the record is decoded, and dead-lettered if broken.
 */
export function isUnusedKind(codec: LeadingStringPeek, payload: Uint8Array, kinds: ReadonlySet<ItemActivityKind>): boolean {
  const kind = codec.peekLeadingString(payload);
  return kind !== undefined && !(kinds as ReadonlySet<string>).has(kind);
}

/**
 * The domain record of a wire value, or undefined for a kind this reader does not know (a newer
 * producer): such records are skipped, not dead-lettered. A known kind without its payload is invalid.
 */
export function itemActivityFromWire(wire: ItemActivityWire): ItemActivityRecord | undefined {
  // Fields written out per kind and neighbours by index, no object spread: several times faster per
  // record on the item stages' hot path (a co-items record carries a dozen neighbours).
  const item = itemIdOf(wire.item);
  switch (wire.kind) {
    case ItemActivityKind.Activity: {
      const payload = required(wire, wire.activity);
      if (!actions.has(payload.action)) throw invalid(wire, `unknown action ${JSON.stringify(payload.action)}`);
      return {
        kind: ItemActivityKind.Activity,
        dedupId: wire.dedup_id,
        item,
        eventTime: wire.event_time,
        eventId: payload.event_id,
        user: userIdOf(payload.user),
        action: payload.action as InteractionAction,
        requestId: payload.request_id,
        catalogued: payload.catalogued,
        industry: payload.industry,
        tags: payload.tags,
      };
    }
    case ItemActivityKind.CoItems: {
      const payload = required(wire, wire.co_items);
      const neighbours = new Array<CoItemNeighbour>(payload.neighbours.length);
      for (let index = 0; index < neighbours.length; index += 1) {
        const neighbour = payload.neighbours[index] as (typeof payload.neighbours)[number];
        neighbours[index] = { item: itemIdOf(neighbour.item), cooccurrence: neighbour.cooccurrence, transition: neighbour.transition };
      }
      return { kind: ItemActivityKind.CoItems, dedupId: wire.dedup_id, item, eventTime: wire.event_time, eventId: payload.event_id, user: userIdOf(payload.user), neighbours };
    }
    case ItemActivityKind.Exposure: {
      const payload = required(wire, wire.exposure);
      return {
        kind: ItemActivityKind.Exposure,
        dedupId: wire.dedup_id,
        item,
        eventTime: wire.event_time,
        requestId: payload.request_id,
        user: userIdOf(payload.user),
        position: payload.position,
      };
    }
    case ItemActivityKind.Availability: {
      const payload = required(wire, wire.availability);
      return {
        kind: ItemActivityKind.Availability,
        dedupId: wire.dedup_id,
        item,
        eventTime: wire.event_time,
        available: payload.available,
        deleted: payload.deleted,
        industry: payload.industry,
        tags: payload.tags,
        sourceVersion: payload.source_version,
      };
    }
    default:
      return undefined;
  }
}

function required<T>(wire: ItemActivityWire, payload: T | null): T {
  if (payload === null) throw invalid(wire, `kind ${wire.kind} without its payload`);
  return payload;
}

function invalid(wire: ItemActivityWire, problem: string): AppError {
  return new AppError(ErrorCode.PayloadInvalid, `item activity ${wire.dedup_id}: ${problem}`, { details: { kind: wire.kind, item: wire.item } });
}
