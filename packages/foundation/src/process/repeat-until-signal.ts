import type { Logger } from './logger.js';
import { stopOnSignals } from './shutdown.js';

export interface RepeatedRun {
  readonly everyMs: number;
  readonly now: () => number;
  /** One run; it handles its own failures (the loop goes on). */
  readonly run: () => Promise<void>;
  /** Called at the signal, before the run in progress finishes (e.g. to report unhealthy). */
  readonly onStopping?: () => void;
  /** After the last run: closes what the loop served. */
  readonly close: () => Promise<void>;
  /** Logged once everything is closed. */
  readonly stoppedMessage: string;
}

/**
 * The loop of a periodic job: runs now and then every `everyMs` (start to start; a run that takes longer
 * delays the next) until SIGTERM / SIGINT, then lets a run in progress finish, closes and resolves 0.
 */
export function repeatUntilSignal(repeated: RepeatedRun, log: Logger): Promise<number> {
  let stopping = false;
  let wake: (() => void) | undefined;
  const loop = async (): Promise<void> => {
    while (!stopping) {
      const startedAt = repeated.now();
      await repeated.run();
      const waitMs = Math.max(0, startedAt + repeated.everyMs - repeated.now());
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  };
  const running = loop();
  return new Promise<number>((resolveExit) => {
    stopOnSignals(
      async () => {
        stopping = true;
        repeated.onStopping?.();
        wake?.();
        await running;
        await repeated.close();
        log.info(repeated.stoppedMessage);
      },
      log,
      resolveExit,
    );
  });
}
