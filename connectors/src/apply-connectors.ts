import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import { type Logger } from '@streamrec/foundation/process';
import type { ConnectApi } from './adapters/connect-rest-client.js';
import { ApplyAction, planApply, tablesNewToHistory, type ApplyPlan, type ConnectorSpec } from './domain/connector-spec.js';
import { judgeReadiness, Readiness } from './domain/connector-status.js';

export interface ApplyDependencies {
  readonly connect: ConnectApi;
  readonly log: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

/** Applying may need to recover a connector's schema history (schema-history-recovery.ts). */
export interface ApplyWithRecovery extends ApplyDependencies {
  readonly recover: (spec: ConnectorSpec, added: readonly string[]) => Promise<void>;
}

export interface ApplyOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** After a config change, failures seen within this time are taken for the previous config's (default DEFAULT_SETTLE_MS). */
  readonly settleMs?: number;
}

export interface AppliedConnector {
  readonly name: string;
  readonly plan: ApplyPlan;
  readonly state: string;
}

/** Creates or updates each connector, then waits until every task of each is RUNNING. */
export async function applyConnectors(
  specs: readonly ConnectorSpec[],
  options: ApplyOptions,
  deps: ApplyWithRecovery,
): Promise<AppliedConnector[]> {
  const results: AppliedConnector[] = [];
  for (const spec of specs) {
    const current = await withRetry(() => deps.connect.getConfig(spec.name), options, deps);
    const plan = planApply(spec, current);
    if (plan.action !== ApplyAction.Unchanged) {
      deps.log.info({ connector: spec.name, action: plan.action, changedKeys: plan.changedKeys }, 'applying connector');
      const added = tablesNewToHistory(spec, current);
      if (added.length > 0) await deps.recover(spec, added);
      await withRetry(() => deps.connect.putConfig(spec.name, spec.config), options, deps);
    } else {
      deps.log.info({ connector: spec.name }, 'connector config unchanged');
    }
    // Right after a config change, a task can still show the failure of its previous config (e.g. a
    // setting the worker now refuses): Connect restarts the connector and re-creates its tasks
    // asynchronously, so failures are only taken for real once that had time to happen.
    const settleMs = plan.action === ApplyAction.Update ? (options.settleMs ?? DEFAULT_SETTLE_MS) : 0;
    const state = await waitUntilRunning(spec.name, options, deps, settleMs);
    results.push({ name: spec.name, plan, state });
  }
  return results;
}

/** How long failures are not judged after a connector's config changed (ApplyOptions.settleMs). */
export const DEFAULT_SETTLE_MS = 15_000;

export async function waitUntilRunning(name: string, options: ApplyOptions, deps: ApplyDependencies, settleMs = 0): Promise<string> {
  const deadline = deps.now() + options.timeoutMs;
  const judgeFailuresFrom = deps.now() + settleMs;
  let restarted = false;
  let last = 'no status yet';
  while (deps.now() < deadline) {
    const status = await withRetry(() => deps.connect.getStatus(name), options, deps);
    if (status !== undefined) {
      const verdict = judgeReadiness(status);
      last = verdict.summary;
      if (verdict.readiness === Readiness.Running) {
        deps.log.info({ connector: name }, verdict.summary);
        return 'RUNNING';
      }
      if (verdict.readiness === Readiness.Failed && deps.now() >= judgeFailuresFrom) {
        // One restart covers a worker that failed while a dependency was still starting; a second failure is real.
        if (restarted) {
          throw new AppError(ErrorCode.ConnectorFailed, `${verdict.summary}\n  ${verdict.failures.join('\n  ')}`, {
            details: { failures: verdict.failures },
          });
        }
        deps.log.warn({ connector: name, failures: verdict.failures }, 'connector failed; restarting failed tasks once');
        await deps.connect.restartFailed(name);
        restarted = true;
      }
    }
    await deps.sleep(options.pollMs);
  }
  throw new AppError(ErrorCode.Timeout, `connector ${name} not RUNNING after ${options.timeoutMs} ms (last: ${last})`);
}

async function withRetry<T>(operation: () => Promise<T>, options: ApplyOptions, deps: ApplyDependencies): Promise<T> {
  const deadline = deps.now() + options.timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isAppError(error) || !error.retriable || deps.now() >= deadline) throw error;
      deps.log.debug({ attempt, err: error }, 'Connect request failed; retrying');
      await deps.sleep(Math.min(options.pollMs * attempt, 5_000));
    }
  }
}
