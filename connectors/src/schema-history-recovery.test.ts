import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { ConnectApi } from './adapters/connect-rest-client.js';
import type { ConnectorStatus } from './domain/connector-status.js';
import { parseConnectorSpec } from './domain/connector-spec.js';
import { recoverSchemaHistory, type RecoveryDependencies } from './schema-history-recovery.js';

const spec = parseConnectorSpec(
  {
    name: 'cdc',
    config: {
      'connector.class': 'X',
      'snapshot.mode': 'initial',
      'schema.history.internal.kafka.topic': '_schema-history.cdc',
      'schema.history.internal.store.only.captured.tables.ddl': 'true',
      'table.include.list': 'shop\\.users,shop\\.debezium_signal,matomo\\.matomo_log_.*',
    },
  },
  'x.json',
);

/** Connect and a history topic where a connector in recovery mode writes one CREATE TABLE per poll, in `order`. */
function world(order: readonly string[]): RecoveryDependencies & { puts: Record<string, string>[]; closed: () => boolean } {
  const puts: Record<string, string>[] = [];
  const written: string[] = [];
  let closed = false;
  let now = 0;
  const recovering = (): boolean => puts.at(-1)?.['snapshot.mode'] === 'recovery';
  const connect: ConnectApi = {
    getConfig: () => Promise.resolve(undefined),
    putConfig: (_name, config) => Promise.resolve(void puts.push({ ...config })),
    getStatus: (name) => Promise.resolve({ name, connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] } satisfies ConnectorStatus),
    restartFailed: () => Promise.resolve(),
    list: () => Promise.resolve([]),
    remove: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    resume: () => Promise.resolve(),
    getOffsets: () => Promise.resolve([]),
    deleteOffsets: () => Promise.resolve(),
  };
  return {
    puts,
    closed: () => closed,
    connect,
    log: pino({ level: 'silent' }),
    now: () => now,
    sleep: (ms) => {
      now += ms;
      const next = order[written.length];
      if (recovering() && next !== undefined) written.push(next);
      return Promise.resolve();
    },
    history: () =>
      Promise.resolve({
        end: () => Promise.resolve(42n),
        watch: (_topic: string, from: bigint) => {
          expect(from).toBe(42n);
          return Promise.resolve({ created: () => new Set(written), close: () => Promise.resolve(void (closed = true)) });
        },
      }),
  };
}

describe('recoverSchemaHistory', () => {
  it('runs the connector with snapshot.mode=recovery until the history holds a CREATE TABLE for every include-list expression', async () => {
    const deps = world(['shop.users', 'shop.debezium_signal', 'matomo.matomo_log_visit', 'matomo.matomo_log_action']);
    await recoverSchemaHistory(spec, ['shop\\.debezium_signal'], { timeoutMs: 60_000, pollMs: 100, settleMs: 0 }, deps);
    expect(deps.puts).toEqual([{ ...spec.config, 'snapshot.mode': 'recovery' }]);
    expect(deps.closed()).toBe(true);
  });

  it('does not return while a table of the list is still missing, and says which after the timeout', async () => {
    const deps = world(['shop.users', 'matomo.matomo_log_visit']);
    await expect(recoverSchemaHistory(spec, ['shop\\.debezium_signal'], { timeoutMs: 5_000, pollMs: 100, settleMs: 0 }, deps)).rejects.toThrow(/no CREATE TABLE for shop\\\.debezium_signal within 5000 ms/);
    expect(deps.closed()).toBe(true);
  });
});
