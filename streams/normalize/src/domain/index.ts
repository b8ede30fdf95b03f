/** The pure domain of streams/normalize: Debezium change events in, interactions / items / users out. */
export { createNormalizer, type CdcInput, type NormalizeContext, type Normalizer, type NormalizerDependencies } from './normalizer.js';
export { emptyResult, type DeadLetter, type NormalizeResult, type ParkedNote } from './normalize-result.js';
export {
  createInMemoryState,
  journalState,
  lazyStoreNames,
  residentStoreNames,
  storeNames,
  type InMemoryState,
  type LazyStoreName,
  type NormalizeState,
  type StateChange,
  type StateSnapshot,
  type StoreName,
  type StoreValue,
} from './normalize-state.js';
export { MapStore, type KeyValueStore } from './key-value-store.js';
export { CachedStore } from './cached-store.js';
export { LruCache } from './lru-cache.js';
export { addLookupKeys, emptyLookupKeys, type LookupKeys, type ParkingView } from './lookup-keys.js';
export { transactionalState, type TransactionalState } from './transactional-state.js';
export { RejectionReason, SkipReason, codeOf, type Rejection } from './outcome.js';
export { FactSource, defaultNormalizeSettings, resolveNormalizeSettings, type NormalizeSettings } from './settings.js';
export { EventId, STITCHED_EVENT_PREFIX } from './ids.js';
export type { ParkedJob, ParkedRow } from './parking-lot.js';
export type { Stitch } from './visitor-identity.js';
export { withVisitorPseudonyms, type VisitorPseudonym } from './visitor-pseudonyms.js';
export { namesErasedSubject, withoutErased, type IsErased } from './erased-subjects.js';
