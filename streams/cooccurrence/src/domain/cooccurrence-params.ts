import { z } from 'zod';
import { parseConfig } from '@streamrec/foundation';
import { DEFAULT_DECAY_EPOCH_MS, actionWeightsSchema, dedupParamsSchema, eventTimeParamsSchema, type ForwardDecay } from '@streamrec/streams-common';

const HOUR_MS = 3_600_000;

export const cooccurrenceParamsSchema = z.object({
  actionWeights: actionWeightsSchema.prefault({}),
  /** t₀ of forward decay; bound to the state version. */
  decayEpochMs: z.number().int().default(DEFAULT_DECAY_EPOCH_MS),
  /** Item relations are durable: a month-long half-life. */
  halfLifeMs: z.number().int().positive().default(30 * 24 * HOUR_MS),
  /** The user's window: the last N distinct items … */
  windowItems: z.number().int().min(1).max(100).default(10),
  /** … of which those within T of the current event pair with it. */
  windowMs: z.number().int().positive().default(24 * HOUR_MS),
  /** Neighbours kept per item and relation (readers use the top of it; the rest is headroom). */
  keepTopNeighbours: z.number().int().min(1).max(10_000).default(200),
  /** Users kept per item for the similar-user index. */
  recentUsersPerItem: z.number().int().min(1).max(10_000).default(100),
  dedup: dedupParamsSchema.prefault({}),
  eventTime: eventTimeParamsSchema.prefault({}),
});
export type CooccurrenceParams = z.infer<typeof cooccurrenceParamsSchema>;

export function parseCooccurrenceParams(input: unknown): CooccurrenceParams {
  return parseConfig(cooccurrenceParamsSchema, input, 'cooccurrence params');
}

export const defaultCooccurrenceParams: CooccurrenceParams = parseCooccurrenceParams({});

export function cooccurrenceDecay(params: Pick<CooccurrenceParams, 'halfLifeMs' | 'decayEpochMs'>): ForwardDecay {
  return { halfLifeMs: params.halfLifeMs, epochMs: params.decayEpochMs };
}
