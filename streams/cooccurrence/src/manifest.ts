import type { ProcessorManifest } from '@streamrec/streams-common';

/** Offset fields of the stateful stages: part of the stored state (never rename). */
export const USER_STAGE_FIELD = 'cooccurrence/events.interactions.v1';
export const ITEM_STAGE_FIELD = 'cooccurrence/repartition.item-activity.v1';

export const COOCCURRENCE_TOPICS = ['interactions', 'itemActivity'] as const;
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
