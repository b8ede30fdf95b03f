import { AppError, ErrorCode } from '@streamrec/foundation';
import { blockingSnapshotSignal, logSignal, type SignalRow } from '@streamrec/cdc';
import type { ApplyDependencies, ApplyOptions } from './apply-connectors.js';
import { Readiness, judgeReadiness } from './domain/connector-status.js';
import { snapshotProgress } from './domain/snapshot-progress.js';

/** Inserts rows into Debezium's signal table (shop.debezium_signal), each in its own transaction. */
export interface SignalWriter {
  insert(row: SignalRow): Promise<void>;
}

/** What the connector published of the signal table (topic cdc.shop.debezium_signal), read from the start. */
export interface SignalTopic {
  /** True once a record of the signal row `id` is in the topic. */
  holds(id: string): Promise<boolean>;
}

export interface SnapshotBySignalDependencies extends ApplyDependencies {
  readonly signals: SignalWriter;
  readonly signalTopic: SignalTopic;
  /** A new signal id (unique; letters, digits, . _ : - and at most 59 characters). */
  readonly newId: () => string;
}

/**
 * A full re-snapshot asked of the running connector through its signal table: an `execute-snapshot`
 * signal of type `blocking` for every captured table, then a `log` signal as a marker. Debezium reads the
 * first from the binlog, pauses the binlog, reads every row of every captured table again (as `r`), and
 * resumes the binlog where it paused, so no change is skipped or needs the stored offsets deleted
 * (unlike `resnapshot`, which is for a purged binlog). The marker is read only after the snapshot, so
 * its record in cdc.shop.debezium_signal says the snapshot is done and every snapshot record is in Kafka.
 */
export async function snapshotBySignal(name: string, options: ApplyOptions, deps: SnapshotBySignalDependencies): Promise<{ readonly id: string; readonly seconds: number }> {
  const started = deps.now();
  await requireRunning(name, deps);
  const id = deps.newId();
  const marker = `${id}-done`;
  deps.log.info({ connector: name, signal: id }, 'inserting the blocking snapshot signal');
  await deps.signals.insert(blockingSnapshotSignal(id));
  await deps.signals.insert(logSignal(marker, `streamrec: blocking snapshot ${id} done, the binlog resumed`));
  const deadline = deps.now() + options.timeoutMs;
  let last = '';
  while (!(await deps.signalTopic.holds(marker))) {
    await requireRunning(name, deps);
    const progress = snapshotProgress(await deps.connect.getOffsets(name));
    if (progress !== last) deps.log.info({ connector: name, signal: id, progress }, 'snapshot progress');
    last = progress;
    if (deps.now() >= deadline) throw new AppError(ErrorCode.Timeout, `snapshot signal ${id}: its marker ${marker} did not reach cdc.shop.debezium_signal within ${options.timeoutMs} ms (last seen: ${progress}); the snapshot may still be running (Connect log)`);
    await deps.sleep(options.pollMs);
  }
  return { id, seconds: (deps.now() - started) / 1000 };
}

async function requireRunning(name: string, deps: ApplyDependencies): Promise<void> {
  const status = await deps.connect.getStatus(name);
  if (status === undefined) throw new AppError(ErrorCode.NotFound, `no connector ${name} on this Connect cluster (npm run connectors -- apply)`);
  const verdict = judgeReadiness(status);
  if (verdict.readiness !== Readiness.Running) {
    const failures = verdict.failures.length === 0 ? '' : ` (${verdict.failures.join('; ')})`;
    throw new AppError(ErrorCode.DependencyUnavailable, `${verdict.summary}${failures}: only a running connector reads a signal (npm run connectors -- status)`);
  }
}
