/** Drives a normalizer over in-memory state, as the adapter would, collecting every output. Test support only. */
import type { NormalizeResult } from '../normalize-result.js';
import { createInMemoryState, type InMemoryState, type StateSnapshot } from '../normalize-state.js';
import { createNormalizer, type CdcInput } from '../normalizer.js';
import type { NormalizeSettings } from '../settings.js';

export const INGEST_TIME = Date.UTC(2026, 10, 2);

export interface Harness {
  readonly state: InMemoryState;
  /** Feeds records in order; returns their results merged in order. */
  feed(...inputs: CdcInput[]): NormalizeResult;
}

export function harness(settings: Partial<NormalizeSettings> = {}, snapshot?: StateSnapshot): Harness {
  const state = createInMemoryState(snapshot);
  const normalizer = createNormalizer({ state, settings });
  return {
    state,
    feed(...inputs) {
      const merged: { [K in keyof NormalizeResult]: unknown[] } = {
        interactions: [],
        items: [],
        users: [],
        deadLetters: [],
        stitches: [],
        parked: [],
        skipped: [],
        stateChanges: [],
      };
      for (const input of inputs) {
        const result = normalizer.normalize(input, { ingestTime: INGEST_TIME });
        for (const key of Object.keys(merged) as (keyof NormalizeResult)[]) merged[key].push(...result[key]);
      }
      return merged as unknown as NormalizeResult;
    },
  };
}

/** `[event_id, user_id, item_id, action]` of each interaction: what most scenarios compare. */
export const summary = (result: NormalizeResult): [string, string, number, string][] =>
  result.interactions.map((interaction) => [interaction.event_id, interaction.user_id, interaction.item_id, interaction.action]);
