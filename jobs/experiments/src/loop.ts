import { startMetricsServer } from '@streamrec/foundation/metrics';
import { repeatUntilSignal, type Logger } from '@streamrec/foundation/process';
import { ReadoutMetrics } from './adapters/metrics-registry.js';
import type { LoopOptions } from './cli-args.js';
import type { ExperimentsStack } from './config.js';
import { attemptFamilies } from './domain/prometheus-families.js';
import { summaryLines } from './domain/summary-table.js';
import type { ReadoutRequest } from './run-readout.js';
import { runReadout, type ReadoutDependencies } from './run-readout.js';

export interface LoopContext {
  readonly stack: ExperimentsStack;
  readonly deps: ReadoutDependencies;
  readonly log: Logger;
  readonly out: (line: string) => void;
  /** The request of one readout at `nowMs` (the window moves with each run). */
  readonly requestAt: (nowMs: number) => ReadoutRequest;
}

/**
 * `npm run experiments -- loop`: serves /metrics, reads out now and then every `everyMs` (start to start;
 * a readout that takes longer delays the next), until SIGTERM / SIGINT: then it lets a readout in progress
 * finish, closes the endpoint and resolves 0. A failed readout keeps the previous figures on /metrics and
 * sets experiment_readout_last_attempt_success to 0.
 */
export async function runLoop(options: LoopOptions, context: LoopContext): Promise<number> {
  const { stack, deps, log } = context;
  const metrics = new ReadoutMetrics();
  let stopping = false;
  const server = await startMetricsServer({ host: stack.metrics.host, port: options.port ?? stack.metrics.port, registry: metrics.registry, isHealthy: () => !stopping });
  const address = server.address();
  log.info({ metrics: typeof address === 'object' && address !== null ? `${address.address}:${address.port}` : String(address), everyMs: options.everyMs, outDir: options.outDir }, 'experiment readout loop started');

  const iterate = async (): Promise<void> => {
    const attemptedAt = deps.now();
    try {
      const { report, files, families } = await runReadout(context.requestAt(attemptedAt), deps);
      metrics.update(families);
      metrics.update(attemptFamilies(attemptedAt, true));
      for (const line of summaryLines(report, files)) context.out(line);
    } catch (error) {
      log.error({ err: error }, 'experiment readout failed; /metrics keeps the previous readout');
      metrics.update(attemptFamilies(attemptedAt, false));
    }
  };

  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const onStopping = (): void => {
    stopping = true;
  };
  return repeatUntilSignal({ everyMs: options.everyMs, now: () => deps.now(), run: iterate, onStopping, close, stoppedMessage: 'experiment readout loop stopped' }, log);
}
