import { AppError, ErrorCode } from '@streamrec/foundation';
import { waitUntilRunning, DEFAULT_SETTLE_MS, type ApplyDependencies, type ApplyOptions } from './apply-connectors.js';
import { includeList, type ConnectorSpec } from './domain/connector-spec.js';

/** The connector's schema history topic (one partition), as far as recovery needs it. */
export interface SchemaHistory {
  /** The offset the next record of `topic` will get. */
  end(topic: string): Promise<bigint>;
  /** Follows `topic` from `from` on and collects the tables (`db.table`) whose CREATE TABLE it records. */
  watch(topic: string, from: bigint): Promise<{ created(): ReadonlySet<string>; close(): Promise<void> }>;
}

export interface RecoveryDependencies extends ApplyDependencies {
  readonly history: () => Promise<SchemaHistory>;
}

/**
 * Debezium's procedure for tables added to a connector whose history keeps captured tables' DDL only: run
 * it once with `snapshot.mode: recovery`, which reads the structure of every captured table (the new ones
 * too) and persists it to the history, no data; then with its own snapshot mode again. Recovery is done
 * when the history holds a CREATE TABLE for every include-list expression written after it started; the
 * connector is not reconfigured before, so an interrupted recovery cannot leave a partial history behind.
 * The caller applies the final config afterwards.
 */
export async function recoverSchemaHistory(spec: ConnectorSpec, added: readonly string[], options: ApplyOptions, deps: RecoveryDependencies): Promise<void> {
  const topic = spec.config['schema.history.internal.kafka.topic'];
  if (topic === undefined) throw new AppError(ErrorCode.ConfigInvalid, `${spec.name}: tables added (${added.join(', ')}) but no schema.history.internal.kafka.topic to recover`);
  const history = await deps.history();
  const from = await history.end(topic);
  const watch = await history.watch(topic, from);
  try {
    deps.log.warn({ connector: spec.name, added, historyTopic: topic, from: from.toString() }, 'tables new to the connector have no schema in its history: recovering it (snapshot.mode=recovery) before applying');
    await deps.connect.putConfig(spec.name, { ...spec.config, 'snapshot.mode': 'recovery' });
    await waitUntilRunning(spec.name, options, deps, options.settleMs ?? DEFAULT_SETTLE_MS);
    const expressions = includeList(spec.config['table.include.list']).map((text) => ({ text, pattern: new RegExp(`^(?:${text})$`) }));
    const deadline = deps.now() + options.timeoutMs;
    for (;;) {
      const created = [...watch.created()];
      const missing = expressions.filter(({ pattern }) => !created.some((table) => pattern.test(table)));
      if (missing.length === 0) break;
      if (deps.now() >= deadline) throw new AppError(ErrorCode.Timeout, `${spec.name}: schema history recovery wrote no CREATE TABLE for ${missing.map(({ text }) => text).join(', ')} within ${options.timeoutMs} ms (Connect log); the connector runs with snapshot.mode=recovery until apply succeeds`);
      await deps.sleep(options.pollMs);
    }
    deps.log.info({ connector: spec.name, tables: watch.created().size }, 'schema history recovered');
  } finally {
    await watch.close();
  }
}
