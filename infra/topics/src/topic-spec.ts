import { z } from 'zod';
import { AppError, ErrorCode } from '@streamrec/foundation';

const topicSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9._-]{1,200}$/, 'lower-case topic name'),
  partitions: z.number().int().min(1).max(256),
  config: z.record(z.string(), z.string()).default({}),
});

const fileSchema = z.object({ $comment: z.string().optional(), topics: z.array(topicSchema).min(1) });

export type TopicSpec = z.infer<typeof topicSchema>;

export function parseTopicSpecs(value: unknown, source: string): TopicSpec[] {
  const result = fileSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new AppError(ErrorCode.ConfigInvalid, `invalid topics file ${source}:\n  - ${problems.join('\n  - ')}`);
  }
  const names = result.data.topics.map((topic) => topic.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new AppError(ErrorCode.ConfigInvalid, `invalid topics file ${source}: topic ${duplicate} declared twice`);
  return result.data.topics;
}

export interface ExistingTopic {
  readonly name: string;
  readonly partitions: number;
}

export interface TopicPlan {
  readonly create: readonly TopicSpec[];
  /** Kafka can only add partitions; fewer declared than existing is reported, never applied. */
  readonly addPartitions: readonly { name: string; from: number; to: number }[];
  readonly cannotShrink: readonly { name: string; existing: number; declared: number }[];
}

export function planTopics(declared: readonly TopicSpec[], existing: readonly ExistingTopic[]): TopicPlan {
  const byName = new Map(existing.map((topic) => [topic.name, topic]));
  const create: TopicSpec[] = [];
  const addPartitions: { name: string; from: number; to: number }[] = [];
  const cannotShrink: { name: string; existing: number; declared: number }[] = [];
  for (const topic of declared) {
    const current = byName.get(topic.name);
    if (current === undefined) create.push(topic);
    else if (current.partitions < topic.partitions) addPartitions.push({ name: topic.name, from: current.partitions, to: topic.partitions });
    else if (current.partitions > topic.partitions) cannotShrink.push({ name: topic.name, existing: current.partitions, declared: topic.partitions });
  }
  return { create, addPartitions, cannotShrink };
}
