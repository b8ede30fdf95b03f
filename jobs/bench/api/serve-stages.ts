/**
 * Splits a V8 CPU profile of the serving path into stages by where each sample's leaf frame lives: the
 * file (or, for the engine's own frames, the function) decides; a frame of no listed place takes its
 * nearest caller's stage (`other` when none has one). Idle and program time are not the answers' and are
 * left out.
 */
export const ServeStage = {
  Redis: 'redis',
  Recall: 'recall',
  Content: 'content',
  Fusion: 'fusion',
  Features: 'features',
  Ranker: 'ranker',
  Exposure: 'exposure',
  Http: 'serving',
  Gc: 'gc',
  Other: 'other',
} as const;
export type ServeStage = (typeof ServeStage)[keyof typeof ServeStage];

export interface ProfileFrame {
  readonly functionName: string;
  readonly url: string;
}

export interface CpuProfileLike {
  readonly nodes: readonly { readonly id: number; readonly callFrame: ProfileFrame; readonly children?: readonly number[] }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface StageShare {
  readonly stage: ServeStage;
  readonly share: number;
  /** share × the unprofiled CPU per answer. */
  readonly microsPerAnswer: number;
}

/** First match wins: [stage, test on the frame's url]. */
const URL_RULES: readonly (readonly [ServeStage, RegExp])[] = [
  [ServeStage.Redis, /node_modules\/(ioredis|redis-parser|denque|cluster-key-slot)\/|services\/api\/src\/adapters\/(redis-|shared-state-cache)/],
  [ServeStage.Content, /node_modules\/usearch\/|services\/api\/src\/(adapters\/content-|domain\/recall\/content\/)/],
  [ServeStage.Recall, /services\/api\/src\/domain\/recall\/|streams\/cooccurrence\/src\/domain\/read-side|services\/api\/src\/domain\/serving\/(user-profile|shaping|candidate-sample)/],
  [ServeStage.Fusion, /services\/api\/src\/domain\/fusion\//],
  [ServeStage.Features, /services\/api\/src\/domain\/ranking\/(ranking-rows|item-features|user-features|feature-support|item-stats)|streams\/features\/src\/domain\/(read-side|features-keys)|packages\/streams-common\/src\/domain\/catalogue-store|packages\/foundation\/src\/state\/state-ops/],
  [ServeStage.Ranker, /onnxruntime|packages\/ranking\/src\/|services\/api\/src\/(adapters\/model-|domain\/ranking\/(rank|circuit-breaker))/],
  [ServeStage.Exposure, /node_modules\/(kafkajs|avsc)\/|services\/api\/src\/(domain\/serving\/exposure|adapters\/exposure-)|schemas\/src\//],
  [ServeStage.Http, /services\/api\/src\//],
];

/** Engine frames without a url that are plainly one stage's. */
const FUNCTION_RULES: ReadonlyMap<string, ServeStage> = new Map([
  ['(garbage collector)', ServeStage.Gc],
  ['writeExposedItem', ServeStage.Exposure],
  ['checkExposedItem', ServeStage.Exposure],
]);

const NOT_WORK = new Set(['(idle)', '(program)', '(root)']);

export function stageOfFrame(frame: ProfileFrame): ServeStage | null {
  if (NOT_WORK.has(frame.functionName)) return null;
  const byFunction = FUNCTION_RULES.get(frame.functionName);
  if (byFunction !== undefined) return byFunction;
  for (const [stage, rule] of URL_RULES) if (rule.test(frame.url)) return stage;
  return ServeStage.Other;
}

/**
 * The stage of every node: its own frame's, or, for a frame of no listed place (Node's buffer and text
 * encoding, anonymous engine frames), that of the nearest caller that has one.
 */
function stagesOfNodes(profile: CpuProfileLike): Map<number, ServeStage | null> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const stages = new Map<number, ServeStage | null>();
  const resolve = (id: number): ServeStage | null => {
    const known = stages.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = node === undefined ? ServeStage.Other : stageOfFrame(node.callFrame);
    const parent = parentOf.get(id);
    const stage = own === ServeStage.Other && parent !== undefined ? (resolve(parent) ?? ServeStage.Other) : own;
    stages.set(id, stage);
    return stage;
  };
  for (const node of profile.nodes) resolve(node.id);
  return stages;
}

/** Each stage's share of the sampled work (idle left out), largest first, scaled to `cpuMicrosPerAnswer`. */
export function stageShares(profile: CpuProfileLike, cpuMicrosPerAnswer: number): StageShare[] {
  const stageById = stagesOfNodes(profile);
  const micros = new Map<ServeStage, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, index) => {
    const stage = stageById.get(id);
    if (stage === undefined || stage === null) return;
    const time = Math.max(0, deltas[index + 1] ?? 0);
    micros.set(stage, (micros.get(stage) ?? 0) + time);
    total += time;
  });
  return [...micros]
    .map(([stage, time]) => {
      const share = total > 0 ? time / total : 0;
      return { stage, share: Number(share.toFixed(4)), microsPerAnswer: Math.round(share * cpuMicrosPerAnswer) };
    })
    .sort((a, b) => b.share - a.share);
}
