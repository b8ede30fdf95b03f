import { historyOf, targetOf, type UserSequence } from './dataset.js';
import { metricsFromRanks, rankInList, type Metrics } from './metrics.js';

/** What one stage's answers amount to. Pure. */
export interface StageScore {
  readonly users: number;
  readonly metrics: Metrics;
  /** Answers that held an item of the user's history (must be 0: the exclusion is part of the protocol). */
  readonly excludeViolations: number;
  /** Answers the API marked degraded (a timeout or a missing dependency: the numbers are not trustworthy). */
  readonly degradedAnswers: number;
  /** Answers with fewer items than asked for. */
  readonly shortAnswers: number;
}

export interface ServedAnswer {
  readonly items: readonly number[];
  readonly degraded: readonly string[];
}

export function scoreAnswers(users: readonly UserSequence[], answers: readonly ServedAnswer[], limit: number): StageScore {
  if (users.length !== answers.length) throw new RangeError(`${users.length} users but ${answers.length} answers`);
  let excludeViolations = 0;
  let degradedAnswers = 0;
  let shortAnswers = 0;
  const ranks = users.map((sequence, index) => {
    const answer = answers[index] as ServedAnswer;
    const history = new Set(historyOf(sequence));
    if (answer.items.some((item) => history.has(item))) excludeViolations += 1;
    if (answer.degraded.length > 0) degradedAnswers += 1;
    if (answer.items.length < limit) shortAnswers += 1;
    return rankInList(answer.items, targetOf(sequence));
  });
  return { users: users.length, metrics: metricsFromRanks(ranks), excludeViolations, degradedAnswers, shortAnswers };
}
