import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';
import { CHANNELS } from '@streamrec/api';
import { parseExperimentsYaml } from '@streamrec/api';
import { STAGE_NAMES, fusedExperimentsFrom, planStages, stageExperimentsYaml, type RecallStage } from './stages.js';

const experimentsFile = join(repoRoot, 'config', 'experiments.yaml');
const fused = fusedExperimentsFrom(readFileSync(experimentsFile, 'utf8'), experimentsFile);

describe('stage experiments files', () => {
  it('plans popularity, fused, every channel alone and the ranker stage', () => {
    const stages = planStages(STAGE_NAMES, fused);
    expect(stages.map((stage) => stage.name)).toEqual(['popularity', 'fused', ...CHANNELS, 'ranker']);
    const ranker = stages.at(-1);
    expect(ranker?.kind).toBe('ranker');
    expect(() => planStages(['fused', 'nope'], fused)).toThrow(/unknown stage nope/);
  });

  it('writes files the API accepts: no model, the stage weights, nobody in an experiment', () => {
    for (const stage of planStages(STAGE_NAMES, fused).filter((candidate): candidate is RecallStage => candidate.kind === 'recall')) {
      const config = parseExperimentsYaml(stageExperimentsYaml(stage.experiments, 20), stage.name);
      expect(config.defaults.modelName).toBeNull();
      expect(config.experiments).toEqual([]);
      expect(config.defaults.weights).toEqual(stage.experiments.weights);
      expect(config.defaults.candidates).toEqual(stage.experiments.candidates);
    }
  });

  it('switches every other channel off for a channel alone, on the user sample', () => {
    const [content] = planStages(['content'], fused) as RecallStage[];
    expect(content?.population).toBe('sample');
    for (const channel of CHANNELS) {
      expect(content?.experiments.weights[channel]).toBe(channel === 'content' ? 1 : 0);
      expect((content?.experiments.candidates[channel] ?? 0) > 0).toBe(channel === 'content');
    }
  });

  it('serves the popularity check from plain counts with the popular channel only, on all users', () => {
    const [popularity] = planStages(['popularity'], fused) as RecallStage[];
    expect(popularity).toMatchObject({ popularity: 'counts', population: 'all' });
    expect(Object.entries(popularity!.experiments.weights).filter(([, weight]) => weight > 0)).toEqual([['popular', 1]]);
  });

  it("serves the fused stage with the experiments file's default weights", () => {
    const [stage] = planStages(['fused'], fused) as RecallStage[];
    expect(stage?.experiments.weights).toEqual(parseExperimentsYaml(readFileSync(experimentsFile, 'utf8'), 'x').defaults.weights);
    expect(stage?.popularity).toBe('decayed');
  });
});
