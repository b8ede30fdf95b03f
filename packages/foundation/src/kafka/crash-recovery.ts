/**
 * What happens after kafkajs reports a consumer crash:
 * - `kafkajs` — kafkajs restarts the consumer itself (it judged the error retriable);
 * - `restart` — kafkajs gave up on an error of the broker or the client (a producer reset by a broker
 *   restart, a protocol error kafkajs deems final): the loop reconnects and runs again, or one broker
 *   hiccup would leave the processor alive, unhealthy and consuming nothing for good;
 * - `stop` — the batch handler failed on purpose (an AppError marked not retriable, e.g. a partly applied
 *   state batch) or with a programming error: restarting would only repeat it, so the consumer stays
 *   stopped and the process reports unhealthy until an operator acts.
 *
 * kafkajs wraps what `eachBatch` threw and keeps only its cause, so the loop tells its own failures apart
 * when it throws them (`isKafkaClientError` false) and passes that here.
 */
export type CrashRecovery = 'kafkajs' | 'restart' | 'stop';

export function crashRecovery(crash: { readonly kafkajsRestarts: boolean; readonly handlerFailed: boolean }): CrashRecovery {
  if (crash.kafkajsRestarts) return 'kafkajs';
  return crash.handlerFailed ? 'stop' : 'restart';
}

/** An error raised by kafkajs (the broker's answer or the client's own state), not by the batch handler. */
export function isKafkaClientError(error: unknown): boolean {
  return error instanceof Error && error.name.startsWith('KafkaJS');
}

/** Delay before the n-th consecutive restart (1-based): 1 s doubling, at most `maxMs`. */
export function restartDelayMs(attempt: number, maxMs: number): number {
  return Math.min(maxMs, 1_000 * 2 ** Math.min(Math.max(attempt, 1) - 1, 10));
}
