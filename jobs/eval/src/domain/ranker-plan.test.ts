import { describe, expect, it } from 'vitest';
import { historyOf, targetOf } from './dataset.js';
import { labelEvents, rankerExperimentsYaml, rankerUserPrefix, scoringSequences, trainingSequences } from './ranker-plan.js';

const users = [
  { user: '1', items: [10, 11, 12, 13] },
  { user: '2', items: [20, 21] },
  { user: '3', items: [30, 31, 32] },
];

describe('the ranker stage plan', () => {
  it('trains on s[:-2] with s[-2] as the label and scores s[-1] on s[:-1], under the run prefix', () => {
    const training = trainingSequences(users, 'evr-x-');
    expect(training.map((sequence) => [sequence.user, historyOf(sequence), targetOf(sequence)])).toEqual([
      ['evr-x-1', [10, 11], 12],
      ['evr-x-3', [30], 31],
    ]);
    const scoring = scoringSequences(users, 'evr-x-');
    expect(scoring.map((sequence) => [sequence.user, historyOf(sequence), targetOf(sequence)])).toEqual([
      ['evr-x-1', [10, 11, 12], 13],
      ['evr-x-3', [30, 31], 32],
    ]);
  });

  it('times each label after the answer it follows and never for a user who was not served', () => {
    const training = trainingSequences(users, 'p-');
    const events = labelEvents(training, new Map([['p-3', 5_000], ['p-1', 9_000]]), 1_000);
    expect(events).toEqual([
      { user: 'p-3', item: 31, position: 1, eventTimeMs: 6_000, eventId: 'eval:p-3:1' },
      { user: 'p-1', item: 12, position: 2, eventTimeMs: 10_000, eventId: 'eval:p-1:2' },
    ]);
    expect(labelEvents(training, new Map(), 1_000)).toEqual([]);
  });

  it('keeps the prefix to characters safe in user ids and SQL, and names the model in the experiments file', () => {
    expect(rankerUserPrefix('mp3x-s42')).toBe('evr-mp3xs42-');
    const yaml = rankerExperimentsYaml({ weights: { transition: 2 } as never, candidates: { transition: 100 } as never }, 'eval-ranker', 20);
    expect(yaml).toContain('model: eval-ranker');
    expect(rankerExperimentsYaml({ weights: {} as never, candidates: {} as never }, null, 20)).toContain('model: null');
  });
});
