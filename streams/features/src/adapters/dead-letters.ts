import { isAppError, type ConsumedRecord, type DeadLetterInput } from '@streamrec/shared';

/**
 * A record's failure: a non-retriable AppError (bad payload, unknown fingerprint, wrong owner) becomes
 * a dead letter with its code; anything else is rethrown, so the loop retries the batch (retriable)
 * or restarts the consumer, and the offset does not move past the record.
 */
export function deadLetterFor(record: ConsumedRecord, error: unknown): DeadLetterInput {
  if (!isAppError(error) || error.retriable) throw error;
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value, code: error.code, reason: error.message };
}

export const missingValueReason = 'record has no value (tombstone)';
