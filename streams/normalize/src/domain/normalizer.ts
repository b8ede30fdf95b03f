import { parseCdcRecord } from './cdc-envelope.js';
import { emittedIds } from './emitted-ids.js';
import { emptyResult, type NormalizeResult } from './normalize-result.js';
import { journalState, type NormalizeState } from './normalize-state.js';
import { SkipReason } from './outcome.js';
import { parkingLot } from './parking-lot.js';
import { RecordRun } from './record-run.js';
import { resolveNormalizeSettings, type NormalizeSettings } from './settings.js';
import { visitorIdentity } from './visitor-identity.js';
import { snapshotRereads } from './snapshot-rereads.js';

/** One consumed `cdc.*` record: its topic and its value, JSON-parsed by the adapter (null = tombstone). */
export interface CdcInput {
  readonly topic: string;
  readonly value: unknown;
  /** Its partition (default 0): snapshot re-reads are judged per partition (snapshot-rereads.ts). */
  readonly partition?: number;
}

export interface NormalizeContext {
  /** Wall-clock time the adapter stamps as `ingest_time` (the domain never reads a clock). */
  readonly ingestTime: number;
}

export interface Normalizer {
  /**
   * Handles one record, in consumption order. Never throws for bad data: what cannot be used
   * comes back in `deadLetters`. The state passed to `createNormalizer` is updated in place, and
   * the same writes are returned in `stateChanges` for the adapter to persist.
   */
  normalize(input: CdcInput, context: NormalizeContext): NormalizeResult;
}

export interface NormalizerDependencies {
  readonly state: NormalizeState;
  readonly settings?: Partial<NormalizeSettings>;
}

export function createNormalizer(dependencies: NormalizerDependencies): Normalizer {
  const settings = resolveNormalizeSettings(dependencies.settings);
  const journal = journalState(dependencies.state);
  const { state } = journal;
  const components = {
    state,
    settings,
    emitted: emittedIds(state, settings.dedupWindow),
    lot: parkingLot(state, settings.parkingCapacity),
    identity: visitorIdentity(state, settings),
    rereads: snapshotRereads(state.cursors),
  };
  return {
    normalize(input, context) {
      const result = emptyResult();
      const parsed = parseCdcRecord(input.topic, input.value);
      if (parsed.kind === 'tombstone') result.skipped.push(SkipReason.Tombstone);
      else if (parsed.kind === 'rejected') result.deadLetters.push({ rejection: parsed.rejection });
      else new RecordRun(components, result, context.ingestTime, input.partition ?? 0).apply(parsed.change);
      result.stateChanges.push(...journal.drain());
      return result;
    },
  };
}
