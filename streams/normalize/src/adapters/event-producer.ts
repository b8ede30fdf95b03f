import type { Message } from 'kafkajs';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { RecordSender } from '@streamrec/foundation/kafka';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import { type Interaction, type ItemChange, type UserChange } from '@streamrec/schemas';

/** The outputs of one batch, in the order the normaliser produced them. */
export interface NormalizedOutputs {
  readonly interactions: readonly Interaction[];
  readonly items: readonly ItemChange[];
  readonly users: readonly UserChange[];
}

/** What the batch handler needs to publish its outputs: resolves once Kafka acknowledged all of them. */
export interface EventPublisher {
  publish(outputs: NormalizedOutputs): Promise<void>;
}

/** Avro single-object values; interactions keyed by `user_id`, items and users by `id`; acks from all in-sync replicas. */
export function createEventPublisher(producer: Pick<RecordSender, 'sendBatch'>): EventPublisher {
  const interactions = createEventCodec(AvroSchemaName.Interactions);
  const items = createEventCodec(AvroSchemaName.Items);
  const users = createEventCodec(AvroSchemaName.Users);
  return {
    async publish(outputs) {
      const topicMessages: { topic: string; messages: Message[] }[] = [
        { topic: AvroSchemaName.Interactions, messages: outputs.interactions.map((event) => ({ key: event.user_id, value: interactions.encode(event) })) },
        { topic: AvroSchemaName.Items, messages: outputs.items.map((item) => ({ key: String(item.id), value: items.encode(item) })) },
        { topic: AvroSchemaName.Users, messages: outputs.users.map((user) => ({ key: String(user.id), value: users.encode(user) })) },
      ].filter((entry) => entry.messages.length > 0);
      if (topicMessages.length === 0) return;
      try {
        await producer.sendBatch({ acks: -1, topicMessages });
      } catch (cause) {
        // The batch is retried from `prepare` (after a rollback); re-sent events carry the same ids.
        throw new AppError(ErrorCode.DependencyUnavailable, `producing normalized events failed: ${(cause as Error).message}`, { retriable: true, cause });
      }
    },
  };
}
