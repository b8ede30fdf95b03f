import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import type { ConnectApi } from './adapters/connect-rest-client.js';
import { applyConnectors } from './apply-connectors.js';
import type { ConnectorStatus } from './domain/connector-status.js';
import { parseConnectorSpec, type ConnectorSpec } from './domain/connector-spec.js';

/** An in-memory Connect cluster whose task states follow a script. */
function fakeConnect(taskStates: string[][]): ConnectApi & { configs: Map<string, Record<string, string>>; puts: number; restarts: number } {
  const configs = new Map<string, Record<string, string>>();
  let poll = 0;
  const fake = {
    configs,
    puts: 0,
    restarts: 0,
    getConfig: (name: string) => Promise.resolve(configs.get(name)),
    putConfig: (name: string, config: Readonly<Record<string, string>>) => {
      fake.puts += 1;
      configs.set(name, { ...config, name });
      return Promise.resolve();
    },
    getStatus: (name: string): Promise<ConnectorStatus | undefined> => {
      const states = taskStates[Math.min(poll, taskStates.length - 1)] ?? [];
      poll += 1;
      return Promise.resolve({
        name,
        connector: { state: 'RUNNING' },
        tasks: states.map((state, id) => ({ id, state, trace: state === 'FAILED' ? 'boom' : undefined })),
      } as ConnectorStatus);
    },
    restartFailed: () => {
      fake.restarts += 1;
      return Promise.resolve();
    },
    list: () => Promise.resolve([...configs.keys()]),
    remove: (name: string) => Promise.resolve(void configs.delete(name)),
    stop: () => Promise.resolve(),
    resume: () => Promise.resolve(),
    getOffsets: () => Promise.resolve([]),
    deleteOffsets: () => Promise.resolve(),
  };
  return fake;
}

const spec = parseConnectorSpec({ name: 'cdc', config: { 'connector.class': 'X', 'tasks.max': '1' } }, 'x.json');
const log = pino({ level: 'silent' });
let clock = 0;
const recovered: { name: string; added: readonly string[]; putsBefore: number }[] = [];
const deps = (connect: ConnectApi & { puts?: number }) => ({
  connect,
  log,
  now: () => clock,
  sleep: (ms: number) => {
    clock += ms;
    return Promise.resolve();
  },
  recover: (recoveredSpec: ConnectorSpec, added: readonly string[]) => {
    recovered.push({ name: recoveredSpec.name, added, putsBefore: connect.puts ?? 0 });
    return Promise.resolve();
  },
});

describe('applyConnectors', () => {
  it('creates the connector and waits until its task runs', async () => {
    const connect = fakeConnect([[], ['UNASSIGNED'], ['RUNNING']]);
    const [result] = await applyConnectors([spec], { timeoutMs: 10_000, pollMs: 100 }, deps(connect));
    expect(result).toMatchObject({ name: 'cdc', plan: { action: 'create' }, state: 'RUNNING' });
    expect(connect.configs.get('cdc')).toMatchObject({ 'tasks.max': '1', name: 'cdc' });
  });

  it('does not PUT an unchanged config again', async () => {
    const connect = fakeConnect([['RUNNING']]);
    connect.configs.set('cdc', { ...spec.config, name: 'cdc' });
    const [result] = await applyConnectors([spec], { timeoutMs: 10_000, pollMs: 100 }, deps(connect));
    expect(result?.plan.action).toBe('unchanged');
    expect(connect.puts).toBe(0);
  });

  it('restarts a failed task once, then reports a second failure with its trace', async () => {
    const connect = fakeConnect([['FAILED']]);
    const error = await applyConnectors([spec], { timeoutMs: 10_000, pollMs: 100 }, deps(connect)).catch((e: unknown) => e);
    expect(isAppError(error, ErrorCode.ConnectorFailed)).toBe(true);
    expect((error as AppError).message).toContain('task 0: boom');
    expect(connect.restarts).toBe(1);
  });

  it('after a config change, waits out a task still failing with its previous config instead of giving up', async () => {
    const connect = fakeConnect([['FAILED'], ['FAILED'], ['FAILED'], ['RUNNING']]);
    connect.configs.set('cdc', { ...spec.config, 'producer.override.linger.ms': '5', name: 'cdc' });
    const [result] = await applyConnectors([spec], { timeoutMs: 10_000, pollMs: 100, settleMs: 1_000 }, deps(connect));
    expect(result).toMatchObject({ plan: { action: 'update' }, state: 'RUNNING' });
    expect(connect.restarts).toBe(0);
  });

  it('recovers when the restarted task runs', async () => {
    const connect = fakeConnect([['FAILED'], ['RUNNING']]);
    const [result] = await applyConnectors([spec], { timeoutMs: 10_000, pollMs: 100 }, deps(connect));
    expect(result?.state).toBe('RUNNING');
  });

  it('times out with the last observed state', async () => {
    const connect = fakeConnect([['UNASSIGNED']]);
    const error = await applyConnectors([spec], { timeoutMs: 1_000, pollMs: 100 }, deps(connect)).catch((e: unknown) => e);
    expect(isAppError(error, ErrorCode.Timeout)).toBe(true);
    expect((error as Error).message).toContain('task 0 UNASSIGNED');
  });

  it('retries a retriable Connect error (rebalance in progress)', async () => {
    const connect = fakeConnect([['RUNNING']]);
    let failures = 1;
    const flaky: ConnectApi = {
      ...connect,
      putConfig: (name, config) => {
        if (failures-- > 0) return Promise.reject(new AppError(ErrorCode.ConnectRequestFailed, '409', { retriable: true }));
        return connect.putConfig(name, config);
      },
    };
    const [result] = await applyConnectors([spec], { timeoutMs: 10_000, pollMs: 100 }, deps(flaky));
    expect(result?.state).toBe('RUNNING');
    expect(connect.puts).toBe(1);
  });

  it('recovers the schema history before an update that adds tables to a connector keeping only captured DDL, not otherwise', async () => {
    recovered.length = 0;
    const debezium = (tables: string) =>
      parseConnectorSpec({ name: 'cdc', config: { 'connector.class': 'X', 'schema.history.internal.store.only.captured.tables.ddl': 'true', 'table.include.list': tables } }, 'x.json');
    const connect = fakeConnect([['RUNNING']]);
    connect.configs.set('cdc', { ...debezium('shop\\.users').config, name: 'cdc' });
    await applyConnectors([debezium('shop\\.users,shop\\.debezium_signal')], { timeoutMs: 10_000, pollMs: 100, settleMs: 0 }, deps(connect));
    expect(recovered).toEqual([{ name: 'cdc', added: ['shop\\.debezium_signal'], putsBefore: 0 }]);
    expect(connect.configs.get('cdc')?.['table.include.list']).toBe('shop\\.users,shop\\.debezium_signal');
    // A table removed, the other settings changed, or a new connector: nothing to recover.
    await applyConnectors([debezium('shop\\.users')], { timeoutMs: 10_000, pollMs: 100, settleMs: 0 }, deps(connect));
    connect.configs.delete('cdc');
    await applyConnectors([debezium('shop\\.users,shop\\.favorites')], { timeoutMs: 10_000, pollMs: 100, settleMs: 0 }, deps(connect));
    expect(recovered).toHaveLength(1);
  });
});
