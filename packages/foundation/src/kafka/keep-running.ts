import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import type { Logger } from '../process/logger.js';
import { restartDelayMs } from './crash-recovery.js';

/**
 * Restarts a consumer that kafkajs gave up on (a crash it does not restart itself, e.g. "Failed to find
 * group coordinator" while a broker restarts): reconnect and run again after 1 s, doubling up to 30 s.
 * For consumers whose handler never fails on purpose (the batch consumer has its own rule for those).
 * Returns a stop function that cancels a pending restart.
 */
export function keepConsumerRunning(consumer: Consumer, runConfig: ConsumerRunConfig, log: Logger): () => void {
  let stopping = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  const restart = (): void => {
    attempt += 1;
    const delay = restartDelayMs(attempt, 30_000);
    log.warn({ attempt, delay }, 'kafkajs gave up on the consumer; restarting it');
    timer = setTimeout(() => {
      if (stopping) return;
      consumer
        .connect()
        .then(() => consumer.run(runConfig))
        .then(() => {
          attempt = 0;
        })
        .catch((error: unknown) => {
          log.error({ err: error, attempt }, 'restarting the consumer failed');
          if (!stopping) restart();
        });
    }, delay);
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    if (!stopping && !payload.restart) restart();
  });
  return () => {
    stopping = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
