import type { ProcessorManifest } from '@streamrec/streams-common';

/** Offset fields of the stateful stages: part of the stored state (never rename). */
export const USER_STAGE_FIELD = 'cooccurrence/events.interactions.v1';
export const ITEM_STAGE_FIELD = 'cooccurrence/repartition.item-activity.v1';

/** `pairs` is an output (the user stage's pair increments); the stages read the other two. */
export const COOCCURRENCE_TOPICS = ['interactions', 'itemActivity', 'pairs'] as const;
export type CooccurrenceTopic = (typeof COOCCURRENCE_TOPICS)[number];
export type CooccurrenceStage = 'user' | 'item';

/**
 * The co-occurrence processor: the user stage (each user's recent window → co-item records to the
 * repartition topic) and the item stage (co-item records → neighbour lists, recent users per item).
 */
export const cooccurrenceManifest: ProcessorManifest<CooccurrenceStage, CooccurrenceTopic> = {
  processor: 'cooccurrence',
  envPrefix: 'COOCCURRENCE',
  metricsPort: 19_103,
  topicNames: COOCCURRENCE_TOPICS,
  stages: [
    { name: 'user', input: 'interactions', phase: 'source', offsetField: USER_STAGE_FIELD },
    { name: 'item', input: 'itemActivity', phase: 'repartition', offsetField: ITEM_STAGE_FIELD },
  ],
};

/** The declared topics (schemas/topics.json): the live pipeline's pair increments follow its interactions. */
export const DECLARED_INTERACTIONS_TOPIC = 'events.interactions.v1';
export const DECLARED_PAIRS_TOPIC = 'events.cooccurrence.v1';

/** Where the pair increments go when the config names no `pairs` topic: only the live topic's have a default. */
export function defaultPairsTopic(interactions: string): string | null {
  return interactions === DECLARED_INTERACTIONS_TOPIC ? DECLARED_PAIRS_TOPIC : null;
}

/**
 * The consumer group whose committed offsets of the interactions topic say up to where a pairs topic was
 * emitted, and the transactional-id prefix of its producers: one chain per (pairs topic, interactions
 * topic), shared by every state version, so each input offset's pairs are emitted once whichever process
 * emits them (docs/exactly-once-state.md, "Pair increments").
 */
export function pairsProgress(pairsTopic: string, interactionsTopic: string): { readonly groupId: string; readonly transactionalIdPrefix: string } {
  return { groupId: `cooccurrence-pairs.${pairsTopic}`, transactionalIdPrefix: `cooccurrence-pairs.${pairsTopic}.${interactionsTopic}` };
}
