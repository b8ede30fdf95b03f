import { AppError, ErrorCode } from '@streamrec/foundation';
import { InteractionAction, type ItemActivityWire } from '@streamrec/schemas';
import { ItemActivityKind, itemIdOf, userIdOf, type ItemActivityRecord } from '../domain/index.js';

/**
 * repartition.item-activity.v1 on the wire (snake_case Avro, one nullable payload per kind) ↔ the
 * domain's ItemActivityRecord. Pure mapping; the Avro codec does the bytes.
 */
export function itemActivityToWire(record: ItemActivityRecord): ItemActivityWire {
  const base = { dedup_id: record.dedupId, item: record.item, event_time: record.eventTime, activity: null, co_items: null, exposure: null, availability: null };
  switch (record.kind) {
    case ItemActivityKind.Activity:
      return {
        ...base,
        kind: record.kind,
        activity: {
          event_id: record.eventId,
          user: record.user,
          action: record.action,
          request_id: record.requestId,
          catalogued: record.catalogued,
          industry: record.industry,
          tags: [...record.tags],
        },
      };
    case ItemActivityKind.CoItems:
      return {
        ...base,
        kind: record.kind,
        co_items: { event_id: record.eventId, user: record.user, neighbours: record.neighbours.map((n) => ({ item: n.item, cooccurrence: n.cooccurrence, transition: n.transition })) },
      };
    case ItemActivityKind.Exposure:
      return { ...base, kind: record.kind, exposure: { request_id: record.requestId, user: record.user, position: record.position } };
    case ItemActivityKind.Availability:
      return {
        ...base,
        kind: record.kind,
        availability: { available: record.available, deleted: record.deleted, industry: record.industry, tags: [...record.tags], source_version: record.sourceVersion },
      };
  }
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
  const base = { dedupId: wire.dedup_id, item: itemIdOf(wire.item), eventTime: wire.event_time };
  switch (wire.kind) {
    case ItemActivityKind.Activity: {
      const payload = required(wire, wire.activity);
      if (!actions.has(payload.action)) throw invalid(wire, `unknown action ${JSON.stringify(payload.action)}`);
      return {
        ...base,
        kind: ItemActivityKind.Activity,
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
      const neighbours = payload.neighbours.map((n) => ({ item: itemIdOf(n.item), cooccurrence: n.cooccurrence, transition: n.transition }));
      return { ...base, kind: ItemActivityKind.CoItems, eventId: payload.event_id, user: userIdOf(payload.user), neighbours };
    }
    case ItemActivityKind.Exposure: {
      const payload = required(wire, wire.exposure);
      return { ...base, kind: ItemActivityKind.Exposure, requestId: payload.request_id, user: userIdOf(payload.user), position: payload.position };
    }
    case ItemActivityKind.Availability: {
      const payload = required(wire, wire.availability);
      return {
        ...base,
        kind: ItemActivityKind.Availability,
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
