/**
 * A stream processor's topology, described once (as a Kafka Streams topology is): its stages, the
 * topic each reads, where each keeps its progress, and the consumer group of each for a group
 * version. The processor's app starts one consumer per stage from it; the replay job, the
 * evaluation harness, the benchmarks and the tests read it instead of spelling group ids and
 * offset fields again. Pure.
 */

/** Source stages read topics written outside the processor; repartition stages read what source stages wrote. */
export const StagePhase = { Source: 'source', Repartition: 'repartition' } as const;
export type StagePhase = (typeof StagePhase)[keyof typeof StagePhase];

export interface StageManifest<Stage extends string = string, Topic extends string = string> {
  /** Short name, unique in the processor: `user` is the stage `features-user`. */
  readonly name: Stage;
  /** The name of its input topic in the processor's `topics` config. */
  readonly input: Topic;
  readonly phase: StagePhase;
  /**
   * The field of the partition offsets hash (`offsetsKey`) the stage stores its last applied offset in,
   * atomically with its state; null for a relay, whose progress is its consumer group's commits.
   * Part of the stored state: never rename one.
   */
  readonly offsetField: string | null;
}

export interface ProcessorManifest<Stage extends string = string, Topic extends string = string> {
  readonly processor: string;
  /** `STREAMREC_<envPrefix>_*` variables configure it. */
  readonly envPrefix: string;
  readonly metricsPort: number;
  /** Every topic name its `topics` config accepts (the config schema is strict). */
  readonly topicNames: readonly Topic[];
  readonly stages: readonly StageManifest<Stage, Topic>[];
}

/** `features-user`: how logs, metrics, progress lines and the replay name a stage. */
export const stageId = (manifest: Pick<ProcessorManifest, 'processor'>, stage: Pick<StageManifest, 'name'>): string => `${manifest.processor}-${stage.name}`;

/** The consumer group of a stage for a group version (a replay or an evaluation runs under its own). */
export const stageGroupId = (manifest: Pick<ProcessorManifest, 'processor'>, stage: Pick<StageManifest, 'name'>, groupVersion: string): string =>
  `${stageId(manifest, stage)}-${groupVersion}`;

/** Every consumer group the processor's stages use for a group version. */
export const processorGroupIds = (manifest: ProcessorManifest, groupVersion: string): string[] => manifest.stages.map((stage) => stageGroupId(manifest, stage, groupVersion));

/** How far a stage got: the offset stored with its state, or its group's committed offsets for a relay. */
export type StageProgress = { readonly kind: 'stored'; readonly field: string } | { readonly kind: 'group'; readonly groupId: string };

export function stageProgress(manifest: ProcessorManifest, stage: StageManifest, groupVersion: string): StageProgress {
  return stage.offsetField === null ? { kind: 'group', groupId: stageGroupId(manifest, stage, groupVersion) } : { kind: 'stored', field: stage.offsetField };
}

/** One stage of a processor with the topic name it really reads under a given config. */
export interface StageSource {
  readonly processor: string;
  readonly stage: string;
  readonly phase: StagePhase;
  readonly topic: string;
  readonly progress: StageProgress;
}

/** The stages of a processor as followed by a replay or an evaluation: topic names from the processor's own config. */
export function stageSources<Topic extends string>(
  manifest: ProcessorManifest<string, Topic>,
  config: { readonly topics: Readonly<Record<Topic, string | null>>; readonly groupVersion: string },
): StageSource[] {
  return manifest.stages.map((stage) => ({
    processor: manifest.processor,
    stage: stageId(manifest, stage),
    phase: stage.phase,
    topic: stageInputTopic(manifest, stage, config.topics),
    progress: stageProgress(manifest, stage, config.groupVersion),
  }));
}

/** The topic a stage reads under a config; a config may switch an output off (null), never an input. */
export function stageInputTopic<Topic extends string>(manifest: Pick<ProcessorManifest, 'processor'>, stage: Pick<StageManifest<string, Topic>, 'name' | 'input'>, topics: Readonly<Record<Topic, string | null>>): string {
  const topic = topics[stage.input];
  if (topic === null) throw new RangeError(`${stageId(manifest, stage)} has no input topic: its config sets ${stage.input} to null`);
  return topic;
}

/** The stage of a manifest by name (a typo is a programming error). */
export function stageOf<Stage extends string, Topic extends string>(manifest: ProcessorManifest<Stage, Topic>, name: Stage): StageManifest<Stage, Topic> {
  const stage = manifest.stages.find((candidate) => candidate.name === name);
  if (stage === undefined) throw new RangeError(`${manifest.processor} has no stage ${name}`);
  return stage;
}
