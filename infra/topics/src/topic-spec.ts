import { z } from 'zod';
import { AppError, ErrorCode } from '@streamrec/foundation';

const topicSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9._-]{1,200}$/, 'lower-case topic name'),
  partitions: z.number().int().min(1).max(256),
  config: z
    .record(z.string(), z.string())
    .default({})
    .refine((config) => !('min.insync.replicas' in config), 'min.insync.replicas comes from the durability profile, not a topic'),
});

const profileSchema = z
  .object({ replication_factor: z.number().int().min(1).max(16), min_insync_replicas: z.number().int().min(1) })
  .strict()
  .refine((profile) => profile.min_insync_replicas <= profile.replication_factor, 'min_insync_replicas cannot exceed replication_factor');

const fileSchema = z.object({
  $comment: z.string().optional(),
  durability: z.object({ $comment: z.string().optional(), profiles: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), profileSchema) }),
  topics: z.array(topicSchema).min(1),
});

export type TopicSpec = z.infer<typeof topicSchema>;

/** How many replicas each topic has and how many must hold a record before it is acknowledged. */
export interface DurabilityProfile {
  readonly name: string;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

export interface TopicsFile {
  readonly topics: readonly TopicSpec[];
  readonly profiles: ReadonlyMap<string, DurabilityProfile>;
}

export function parseTopicsFile(value: unknown, source: string): TopicsFile {
  const result = fileSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new AppError(ErrorCode.ConfigInvalid, `invalid topics file ${source}:\n  - ${problems.join('\n  - ')}`);
  }
  const names = result.data.topics.map((topic) => topic.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new AppError(ErrorCode.ConfigInvalid, `invalid topics file ${source}: topic ${duplicate} declared twice`);
  const profiles = new Map(
    Object.entries(result.data.durability.profiles).map(([name, profile]) => [name, { name, replicationFactor: profile.replication_factor, minInsyncReplicas: profile.min_insync_replicas }]),
  );
  return { topics: result.data.topics, profiles };
}

/** The topics alone (generators and checks that do not deal with replication). */
export function parseTopicSpecs(value: unknown, source: string): TopicSpec[] {
  return [...parseTopicsFile(value, source).topics];
}

export function durabilityProfile(file: TopicsFile, name: string): DurabilityProfile {
  const profile = file.profiles.get(name);
  if (profile === undefined) throw new AppError(ErrorCode.InvalidArgument, `no durability profile '${name}' in the topics file (profiles: ${[...file.profiles.keys()].join(', ')})`);
  return profile;
}

/** A topic's configuration as applied under a profile: the declared entries plus min.insync.replicas. */
export function appliedConfig(topic: TopicSpec, profile: DurabilityProfile): Record<string, string> {
  return { ...topic.config, 'min.insync.replicas': String(profile.minInsyncReplicas) };
}

/** The cluster must have at least as many brokers as the profile's replicas, or topics cannot be created. */
export function checkBrokers(profile: DurabilityProfile, brokers: number): void {
  if (brokers < profile.replicationFactor) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      `profile '${profile.name}' needs ${profile.replicationFactor} brokers (replication factor ${profile.replicationFactor}, min.insync.replicas ${profile.minInsyncReplicas}); the cluster has ${brokers}`,
    );
  }
}

export interface ExistingTopic {
  readonly name: string;
  readonly partitions: number;
  /** Replicas of its first partition. */
  readonly replicationFactor?: number;
  /** The topic's min.insync.replicas as the broker reports it (its own or the broker default). */
  readonly minInsyncReplicas?: string;
}

export interface TopicPlan {
  readonly create: readonly TopicSpec[];
  /** Kafka can only add partitions; fewer declared than existing is reported, never applied. */
  readonly addPartitions: readonly { name: string; from: number; to: number }[];
  readonly cannotShrink: readonly { name: string; existing: number; declared: number }[];
  /** Existing topics whose min.insync.replicas differs from the profile: set again (with the declared config). */
  readonly setMinInsync: readonly { name: string; from: string; to: string }[];
  /** Replication cannot be changed by `apply` (a partition reassignment); reported. */
  readonly replicationDiffers: readonly { name: string; existing: number; declared: number }[];
}

export function planTopics(declared: readonly TopicSpec[], existing: readonly ExistingTopic[], profile?: DurabilityProfile): TopicPlan {
  const byName = new Map(existing.map((topic) => [topic.name, topic]));
  const create: TopicSpec[] = [];
  const addPartitions: { name: string; from: number; to: number }[] = [];
  const cannotShrink: { name: string; existing: number; declared: number }[] = [];
  const setMinInsync: { name: string; from: string; to: string }[] = [];
  const replicationDiffers: { name: string; existing: number; declared: number }[] = [];
  for (const topic of declared) {
    const current = byName.get(topic.name);
    if (current === undefined) {
      create.push(topic);
      continue;
    }
    if (current.partitions < topic.partitions) addPartitions.push({ name: topic.name, from: current.partitions, to: topic.partitions });
    else if (current.partitions > topic.partitions) cannotShrink.push({ name: topic.name, existing: current.partitions, declared: topic.partitions });
    if (profile === undefined) continue;
    const wanted = String(profile.minInsyncReplicas);
    if (current.minInsyncReplicas !== undefined && current.minInsyncReplicas !== wanted) setMinInsync.push({ name: topic.name, from: current.minInsyncReplicas, to: wanted });
    if (current.replicationFactor !== undefined && current.replicationFactor !== profile.replicationFactor) {
      replicationDiffers.push({ name: topic.name, existing: current.replicationFactor, declared: profile.replicationFactor });
    }
  }
  return { create, addPartitions, cannotShrink, setMinInsync, replicationDiffers };
}
