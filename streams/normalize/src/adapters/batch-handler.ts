import { ErrorCode, isAppError, type DeadLetterInput, type RecordOps, type StateStore, type StateVersion } from '@streamrec/foundation';
import { type ConsumedRecord, type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { type Logger } from '@streamrec/foundation/process';
import type { Interaction, ItemChange, UserChange } from '@streamrec/schemas';
import { addLookupKeys, emptyLookupKeys, namesErasedSubject, withoutErased, withVisitorPseudonyms, type DeadLetter, type NormalizeResult, type Normalizer, type TransactionalState, type VisitorPseudonym } from '../domain/index.js';
import type { EventPublisher } from './event-producer.js';
import type { NormalizeMetrics } from './normalize-metrics.js';
import type { StateLookups } from './state-lookups.js';
import type { ErasureGate } from '@streamrec/streams-common/adapters';
import { normalizeOffsetsKey, offsetField, recordOps } from './redis-normalize-state.js';

/** The adapter's own rejection: text that is not JSON never reaches the domain. */
export const INVALID_JSON_REASON = 'invalid_json';

export interface BatchHandlerDependencies {
  readonly version: StateVersion;
  readonly normalizer: Normalizer;
  /** Matomo visitor ids are replaced by this before the normalizer sees a record (keyed-visitor-pseudonym.ts). */
  readonly visitorPseudonym: VisitorPseudonym;
  /** The state the normalizer was built on: rolled back before every preparation, committed after the apply. */
  readonly state: TransactionalState;
  readonly store: StateStore;
  readonly publisher: EventPublisher;
  readonly metrics: NormalizeMetrics;
  readonly log: Logger;
  readonly now: () => number;
  /**
   * The caches standing in for the lazily loaded stores of `state` (read from Redis per batch).
   * Omitted when the whole state is in memory (tests of the handler).
   */
  readonly lookups?: StateLookups;
  /**
   * Reads the resident stores of `state` again from Redis. Called before the next batch when an apply
   * found Redis behind the consumer (REC_STATE_GAP: rolled back), so the in-memory copy matches the
   * state the batch is re-read against.
   */
  readonly reloadResident?: () => Promise<void>;
  /**
   * The erasure list (npm run erase). Rows and outputs naming a listed person are dropped; when the list
   * moves, the in-memory state is read again, since the erase command deleted their entries in Redis.
   */
  readonly erasures?: ErasureGate;
}

/**
 * The two phases of the shared loop for the normaliser. Not reentrant: the one in-memory state is
 * shared by all partitions, and kafkajs hands over one batch at a time (partitionsConsumedConcurrently 1).
 */
export function createNormalizeBatchHandler(deps: BatchHandlerDependencies): PartitionBatchHandler {
  const offsetsKey = normalizeOffsetsKey(deps.version);
  const { lookups } = deps;
  // A preparation whose commit did not happen: if its apply reached Redis after all (a lost reply),
  // the caches miss its writes, so they are dropped and read again.
  let uncommitted = false;
  let behind = false;
  return {
    async prepare({ topic, partition, records, readFrom }) {
      // A retry of the batch (failed produce or apply) must see the state the first attempt saw.
      deps.state.rollback();
      const erasedMoved = (await deps.erasures?.refresh()) === true;
      if (behind || erasedMoved) {
        await deps.reloadResident?.();
        lookups?.invalidate();
        if (behind) deps.log.warn('Redis was behind the consumer: the in-memory state was read again');
        else deps.log.info({ listed: deps.erasures?.size }, 'the erasure list moved: the in-memory state was read again');
        behind = false;
      }
      const isErased = (subject: string): boolean => deps.erasures?.isErased(subject) === true;
      // Nobody listed (the usual case): no row or output is looked at for it.
      const anyErased = deps.erasures !== undefined && deps.erasures.size > 0;
      if (uncommitted) lookups?.invalidate();
      uncommitted = true;
      const field = offsetField(topic, partition);
      const stored = await deps.store.storedOffset(offsetsKey, field);
      const fresh = stored === undefined ? records : records.filter((record) => record.offset > stored);
      const readable = fresh.map((record) => {
        const raw = parseValue(record);
        return { record, raw, value: raw === invalid ? raw : withVisitorPseudonyms(raw, deps.visitorPseudonym) };
      });
      // Rows about an erased person are skipped (their offsets still stored): no output, no state.
      const parsed = anyErased ? readable.filter(({ value }) => value === invalid || !namesErasedSubject(topic, value, isErased)) : readable;
      deps.metrics.erased('row', readable.length - parsed.length);
      const normalizeAll = (): { record: ConsumedRecord; raw: unknown; value: unknown; result: NormalizeResult | undefined }[] =>
        parsed.map(({ record, raw, value }) => ({
          record,
          raw,
          value,
          result: value === invalid ? undefined : deps.normalizer.normalize({ topic, value, partition }, { ingestTime: deps.now() }),
        }));
      let results: ReturnType<typeof normalizeAll>;
      if (lookups === undefined) results = normalizeAll();
      else {
        // Everything the batch may read from the lazily loaded stores, in one round trip, so the domain stays synchronous.
        const keys = emptyLookupKeys();
        for (const { value } of parsed) if (value !== invalid) addLookupKeys(keys, { topic, value }, deps.state);
        await lookups.prefetch(keys);
        results = normalizeAll();
        // A read the scan did not foresee answered "absent" unchecked: read it and prepare the batch again.
        while (await lookups.resolveUnresolved()) {
          deps.state.rollback();
          results = normalizeAll();
        }
      }
      const interactions: Interaction[] = [];
      const items: ItemChange[] = [];
      const users: UserChange[] = [];
      const deadLetters: DeadLetterInput[] = [];
      const ops: RecordOps[] = [];
      for (const { record, raw, value, result } of results) {
        if (result === undefined) {
          deadLetters.push(letterOf(record, ErrorCode.PayloadInvalid, INVALID_JSON_REASON));
          continue;
        }
        interactions.push(...result.interactions);
        items.push(...result.items);
        users.push(...result.users);
        if (result.deadLetters.length > 0) {
          // A rejected record is dead-lettered as the normalizer read it: never with Matomo's raw visitor id.
          const asRead = value === raw ? record : { ...record, value: Buffer.from(JSON.stringify(value)) };
          for (const letter of result.deadLetters) deadLetters.push(domainLetter(asRead, letter, deps.log));
        }
        if (result.stateChanges.length > 0) ops.push(recordOps(deps.version, record.offset, result.stateChanges));
        deps.metrics.count(result);
      }
      const outputs = { interactions, items, users };
      const published = anyErased ? withoutErased(outputs, isErased) : { kept: outputs, dropped: 0 };
      deps.metrics.erased('output', published.dropped);
      // Outputs are acknowledged before the state moves on: a crash in between repeats them (same ids).
      await deps.publisher.publish(published.kept);
      const lastOffset = records.at(-1)?.offset;
      return {
        deadLetters,
        eventTimesMs: published.kept.interactions.map((interaction) => interaction.event_time),
        async commit() {
          if (lastOffset !== undefined && fresh.length > 0) {
            try {
              await deps.store.applyBatch({ offsetsKey, field, lastOffset, readFrom, records: ops, expectedStoredOffset: stored ?? 'none' });
            } catch (error) {
              if (isAppError(error, ErrorCode.StateOffsetGap)) behind = true;
              throw error;
            }
            deps.state.commit();
          }
          uncommitted = false;
          lookups?.settle();
        },
      };
    },
  };
}

const invalid = Symbol('invalid JSON');

function parseValue(record: ConsumedRecord): unknown {
  if (record.value === null) return null; // a tombstone: the domain skips it, its offset is still stored
  try {
    return JSON.parse(record.value.toString('utf8')) as unknown;
  } catch {
    return invalid;
  }
}

function letterOf(record: ConsumedRecord, code: string, reason: string): DeadLetterInput {
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value, code, reason };
}

/** A rejected input keeps its original key and value; a given-up parked row is dead-lettered as the decoded row. */
function domainLetter(record: ConsumedRecord, letter: DeadLetter, log: Logger): DeadLetterInput {
  const { code, reason, message } = letter.rejection;
  log.debug({ topic: record.topic, partition: record.partition, offset: record.offset.toString(), code, reason, message, parked: letter.parked?.key }, 'rejected');
  if (letter.parked === undefined) return letterOf(record, code, reason);
  return {
    ...letterOf(record, code, reason),
    key: Buffer.from(letter.parked.key),
    value: Buffer.from(JSON.stringify({ message, parked: letter.parked })),
  };
}
