import { AppError, ErrorCode } from '@streamrec/foundation';
import { waitUntilRunning, type ApplyDependencies, type ApplyOptions } from './apply-connectors.js';
import { snapshotProgress } from './domain/snapshot-progress.js';

/**
 * The documented recovery when the binlog a connector needs was purged (docs/OPERATIONS.md): stop the
 * connector, delete its stored offsets (Kafka Connect's offsets API), resume it: with `snapshot.mode:
 * initial` and no offsets Debezium takes a new consistent snapshot of every captured table, then streams
 * from the binlog position the snapshot started at. Resolves when the snapshot is done and the
 * connector streams.
 */
export async function resnapshot(name: string, options: ApplyOptions, deps: ApplyDependencies): Promise<{ readonly seconds: number }> {
  const started = deps.now();
  const status = await deps.connect.getStatus(name);
  if (status === undefined) throw new AppError(ErrorCode.NotFound, `no connector ${name} on this Connect cluster (npm run connectors -- apply)`);
  deps.log.info({ connector: name }, 'stopping the connector');
  await deps.connect.stop(name);
  await until(`connector ${name} STOPPED`, async () => (await deps.connect.getStatus(name))?.connector.state === 'STOPPED', options, deps);
  deps.log.info({ connector: name, offsets: await deps.connect.getOffsets(name) }, 'deleting the stored offsets');
  await deps.connect.deleteOffsets(name);
  deps.log.info({ connector: name }, 'resuming: Debezium takes a new snapshot');
  await deps.connect.resume(name);
  await waitUntilRunning(name, options, deps);
  let last = 'no-offsets';
  await until(
    `connector ${name} streaming after its snapshot`,
    async () => {
      const progress = snapshotProgress(await deps.connect.getOffsets(name));
      if (progress !== last) deps.log.info({ connector: name, progress }, 'snapshot progress');
      last = progress;
      return progress === 'streaming';
    },
    options,
    deps,
  );
  await waitUntilRunning(name, options, deps);
  return { seconds: (deps.now() - started) / 1000 };
}

async function until(what: string, condition: () => Promise<boolean>, options: ApplyOptions, deps: ApplyDependencies): Promise<void> {
  const deadline = deps.now() + options.timeoutMs;
  while (!(await condition())) {
    if (deps.now() >= deadline) throw new AppError(ErrorCode.Timeout, `${what}: not within ${options.timeoutMs} ms`);
    await deps.sleep(options.pollMs);
  }
}
