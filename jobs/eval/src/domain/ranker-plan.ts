import { stringify } from 'yaml';
import { eventIdOf, type ReplayEvent } from './schedule.js';
import type { UserSequence } from './dataset.js';
import type { StageExperiments } from './stages.js';

/**
 * The ranker stage trains the way production does: replay every user's s[:-2], serve every user and log
 * the exposures (with the ranked candidates that were not shown), let s[-2] arrive as the label events
 * after them, retrain from the logged exposures and labels, then serve every user again with the model
 * on the state of s[:-1] and score s[-1]. It runs on its own topics and state version, with its users
 * under a prefix (the training job and the cleanup select the run's rows by it), so the other stages'
 * state and the shop's data are untouched. Pure.
 */

/** Users (prefixed) whose sequence is s[:-1]: `historyOf` is then s[:-2] and `targetOf` s[-2], the label. */
export function trainingSequences(users: readonly UserSequence[], prefix: string): UserSequence[] {
  return users.filter((sequence) => sequence.items.length >= 3).map((sequence) => ({ user: `${prefix}${sequence.user}`, items: sequence.items.slice(0, -1) }));
}

/** The same users with their whole sequence (scoring: history s[:-1], target s[-1]). */
export function scoringSequences(users: readonly UserSequence[], prefix: string): UserSequence[] {
  return users.filter((sequence) => sequence.items.length >= 3).map((sequence) => ({ user: `${prefix}${sequence.user}`, items: sequence.items }));
}

/**
 * The label events: each user's s[-2] as a view shortly after the exposure it answers (`servedAtMs`), so
 * it lands in the training job's label window and never before its exposure.
 */
export function labelEvents(training: readonly UserSequence[], servedAtMs: ReadonlyMap<string, number>, delayMs: number): ReplayEvent[] {
  const events: ReplayEvent[] = [];
  for (const sequence of training) {
    const served = servedAtMs.get(sequence.user);
    const item = sequence.items.at(-1);
    if (served === undefined || item === undefined) continue;
    const position = sequence.items.length - 1;
    events.push({ user: sequence.user, item, position, eventTimeMs: served + delayMs, eventId: eventIdOf(sequence.user, position) });
  }
  return events.sort((a, b) => a.eventTimeMs - b.eventTimeMs || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
}

/** The run's user prefix: letters, digits and '-' only (the API's user id pattern and a safe SQL LIKE). */
export const rankerUserPrefix = (runId: string): string => `evr-${runId.replace(/[^a-z0-9]/gi, '')}-`;

/** The experiments file of a ranker-stage phase: the fused weights, and the model (null: recall order). */
export function rankerExperimentsYaml(experiments: StageExperiments, modelName: string | null, limit: number): string {
  return `# Written by the evaluation harness (jobs/eval); the ranker stage.\n${stringify({
    defaults: { weights: experiments.weights, model: modelName, max_per_industry: limit, candidates: experiments.candidates },
    experiments: [],
  })}`;
}
