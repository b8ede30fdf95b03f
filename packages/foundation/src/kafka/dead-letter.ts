import { isAppError } from '../errors.js';

/** A record a processor could not use, with the reason, as written to `dlq.<processor>`. */
export interface DeadLetter {
  readonly processor: string;
  readonly code: string;
  readonly reason: string;
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string };
  /** The original key and value: UTF-8 text when they are valid text, else base64. */
  readonly key: EncodedBytes | null;
  readonly value: EncodedBytes | null;
  readonly failedAtMs: number;
}

export interface EncodedBytes {
  readonly encoding: 'utf8' | 'base64';
  readonly data: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeBytes(bytes: Uint8Array | null): EncodedBytes | null {
  if (bytes === null) return null;
  try {
    return { encoding: 'utf8', data: strictUtf8.decode(bytes) };
  } catch {
    return { encoding: 'base64', data: Buffer.from(bytes).toString('base64') };
  }
}

export interface DeadLetterInput {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly code: string;
  readonly reason: string;
}

/** The dead-letter message: keyed like the original, so a repaired record can be re-sent as it was. */
export function deadLetterMessage(processor: string, input: DeadLetterInput, failedAtMs: number): { key: Uint8Array | null; value: string; letter: DeadLetter } {
  const letter: DeadLetter = {
    processor,
    code: input.code,
    reason: input.reason,
    source: { topic: input.topic, partition: input.partition, offset: input.offset.toString() },
    key: encodeBytes(input.key),
    value: encodeBytes(input.value),
    failedAtMs,
  };
  return { key: input.key, value: JSON.stringify(letter), letter };
}

export const deadLetterTopic = (processor: string): string => `dlq.${processor}`;

/**
 * A record's failure as a dead letter: a non-retriable AppError (bad payload, unknown fingerprint,
 * wrong owner) becomes a dead letter with its code; anything else is rethrown, so the loop retries the
 * batch (retriable) or restarts the consumer, and the offset does not move past the record.
 */
export function deadLetterFor(
  record: { readonly topic: string; readonly partition: number; readonly offset: bigint; readonly key: Uint8Array | null; readonly value: Uint8Array | null },
  error: unknown,
): DeadLetterInput {
  if (!isAppError(error) || error.retriable) throw error;
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value, code: error.code, reason: error.message };
}

export const missingValueReason = 'record has no value (tombstone)';
