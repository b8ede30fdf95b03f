/**
 * The co-occurrence processor's public surface without I/O: its stage manifest (and where its pair
 * increments' progress is committed), its read side — the neighbour-list keys and how to turn their
 * replies into candidates and similar users — for the API, the replay job and the tests. The running
 * process is `@streamrec/cooccurrence/app`.
 */
export { COOCCURRENCE_TOPICS, DECLARED_PAIRS_TOPIC, ITEM_STAGE_FIELD, USER_STAGE_FIELD, cooccurrenceManifest, defaultPairsTopic, pairsProgress, type CooccurrenceStage, type CooccurrenceTopic } from './manifest.js';
export { ItemFacet as NeighbourFacet, WINDOW_FACET, neighbourKeys, windowKey } from './domain/cooccurrence-keys.js';
export { itemToItemCandidates, similarUsers, type CandidateFilter, type ScoredUser, type Seed } from './domain/read-side.js';
export { cooccurrenceDecay, cooccurrenceParamsSchema, defaultCooccurrenceParams, parseCooccurrenceParams, type CooccurrenceParams } from './domain/cooccurrence-params.js';
