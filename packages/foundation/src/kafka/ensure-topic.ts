import type { Kafka } from 'kafkajs';
import { AppError, ErrorCode } from '../errors.js';
import { createTopicsReady } from './create-topics.js';

export interface TopicDeclaration {
  readonly topic: string;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Creates an internal topic a process owns (e.g. a state version's repartition topic) when it is
 * missing, as Kafka Streams creates its internal topics. An existing topic must have the declared
 * partition count: keys are owned by `murmur2(key) % partitions`, so another count would move state.
 */
export async function ensureTopic(kafka: Kafka, declaration: TopicDeclaration): Promise<'created' | 'exists'> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await createTopicsReady(admin, {
      topics: [
        {
          topic: declaration.topic,
          numPartitions: declaration.partitions,
          replicationFactor: -1,
          configEntries: Object.entries(declaration.config).map(([name, value]) => ({ name, value })),
        },
      ],
    }).catch((error: unknown) => {
      // Two processes starting together: the other one created it first.
      if ((error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return false;
      throw error;
    });
    if (created) return 'created';
    const metadata = await admin.fetchTopicMetadata({ topics: [declaration.topic] });
    const partitions = metadata.topics[0]?.partitions.length ?? 0;
    if (partitions !== declaration.partitions) {
      throw new AppError(
        ErrorCode.ConfigInvalid,
        `topic ${declaration.topic} has ${partitions} partitions, ${declaration.partitions} configured: state ownership would not match`,
      );
    }
    return 'exists';
  } finally {
    await admin.disconnect();
  }
}
