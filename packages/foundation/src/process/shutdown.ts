import type { Logger } from './logger.js';

/**
 * Stops a process cleanly on SIGTERM / SIGINT: runs `stop` once, then exits 0, or 1 when stopping
 * failed. Every long-running process of the project wires its shutdown through this.
 */
export function stopOnSignals(stop: () => Promise<void>, log: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    stop().then(
      () => exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'stop failed');
        exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
