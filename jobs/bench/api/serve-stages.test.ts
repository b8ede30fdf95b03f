import { describe, expect, it } from 'vitest';
import { ServeStage, stageOfFrame, stageShares, type CpuProfileLike } from './serve-stages.js';

const frame = (functionName: string, url = '') => ({ functionName, url });

describe('serving stages of a CPU profile', () => {
  it('puts a frame in the stage of its file, engine frames by name, idle nowhere', () => {
    expect(stageOfFrame(frame('fuseChannels', 'file:///repo/services/api/src/domain/fusion/fusion.ts'))).toBe(ServeStage.Fusion);
    expect(stageOfFrame(frame('execute', 'file:///repo/node_modules/redis-parser/lib/parser.js'))).toBe(ServeStage.Redis);
    expect(stageOfFrame(frame('fillItemFeatures', 'file:///repo/services/api/src/domain/ranking/item-features.ts'))).toBe(ServeStage.Features);
    expect(stageOfFrame(frame('crc32C', 'file:///repo/node_modules/kafkajs/src/protocol/recordBatch/crc32C/crc32C.js'))).toBe(ServeStage.Exposure);
    expect(stageOfFrame(frame('(garbage collector)'))).toBe(ServeStage.Gc);
    expect(stageOfFrame(frame('(idle)'))).toBeNull();
    // Names of Object.prototype are names like any other.
    expect(stageOfFrame(frame('toString'))).toBe(ServeStage.Other);
  });

  it('charges a frame of no listed place to its nearest listed caller, and scales shares to the CPU per answer', () => {
    const profile: CpuProfileLike = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
        { id: 2, callFrame: frame('exposureOf', 'file:///r/services/api/src/domain/serving/exposure.ts'), children: [3] },
        { id: 3, callFrame: frame('encode', 'node:internal/encoding'), children: [4] },
        { id: 4, callFrame: frame('writeUtf8String') },
        { id: 5, callFrame: frame('fuseChannels', 'file:///r/services/api/src/domain/fusion/fusion.ts') },
        { id: 6, callFrame: frame('(idle)') },
      ],
      samples: [4, 4, 5, 6, 6, 6, 3, 5],
      timeDeltas: [0, 10, 10, 10, 10, 10, 10, 10],
    };
    expect(stageShares(profile, 1_000)).toEqual([
      // A sample lasts until the next one (the last one's length is unknown and left out).
      { stage: ServeStage.Exposure, share: 0.75, microsPerAnswer: 750 },
      { stage: ServeStage.Fusion, share: 0.25, microsPerAnswer: 250 },
    ]);
  });
});
