import { describe, expect, it } from 'vitest';
import { isAppError, ErrorCode } from '@streamrec/foundation';
import { ApplyAction, parseConnectorSpec, planApply, tablesNewToHistory } from './connector-spec.js';

const valid = {
  name: 'cdc-mariadb',
  config: { 'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector', 'database.password': '${env:PW}', 'tasks.max': '1' },
};

describe('parseConnectorSpec', () => {
  it('accepts a connector with string configs and a provider reference for the password', () => {
    const spec = parseConnectorSpec(valid, 'test.json');
    expect(spec.name).toBe('cdc-mariadb');
    expect(Object.isFrozen(spec.config)).toBe(true);
  });

  it('lists every problem with its path', () => {
    let caught: unknown;
    try {
      parseConnectorSpec({ name: 'Bad Name', config: { 'tasks.max': 1, 'database.password': 'hunter2' } }, 'bad.json');
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, ErrorCode.ConfigInvalid)).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain('bad.json');
    expect(message).toContain('name:');
    expect(message).toContain('config.tasks.max: expected a string');
    expect(message).toContain('config.connector.class: required');
    expect(message).toContain('config.database.password: secrets must be a config-provider reference');
  });

  it('rejects a non-object document', () => {
    expect(() => parseConnectorSpec([], 'list.json')).toThrow(/expected an object/);
  });
});

describe('planApply', () => {
  const spec = parseConnectorSpec(valid, 'test.json');

  it('creates a connector that does not exist', () => {
    expect(planApply(spec, undefined).action).toBe(ApplyAction.Create);
  });

  it('leaves an identical connector alone (Connect adds the name to the stored config)', () => {
    expect(planApply(spec, { ...spec.config, name: spec.name })).toEqual({ action: ApplyAction.Unchanged, changedKeys: [] });
  });

  it('updates and names changed, added and removed keys without their values', () => {
    const current = { ...spec.config, name: spec.name, 'tasks.max': '2', 'obsolete.key': 'x' };
    delete (current as Record<string, string>)['database.password'];
    expect(planApply(spec, current)).toEqual({
      action: ApplyAction.Update,
      changedKeys: ['database.password', 'obsolete.key', 'tasks.max'],
    });
  });
});

describe('tablesNewToHistory', () => {
  const debezium = (tables: string, capturedOnly = 'true') =>
    parseConnectorSpec({ name: 'cdc', config: { 'connector.class': 'X', 'schema.history.internal.store.only.captured.tables.ddl': capturedOnly, 'table.include.list': tables } }, 'x.json');

  it('names the include-list entries an update adds', () => {
    expect(tablesNewToHistory(debezium('shop\\.users, shop\\.debezium_signal'), debezium('shop\\.users').config)).toEqual(['shop\\.debezium_signal']);
  });

  it('is empty for a new connector, a removed table, or a history that keeps every DDL', () => {
    expect(tablesNewToHistory(debezium('shop\\.users'), undefined)).toEqual([]);
    expect(tablesNewToHistory(debezium('shop\\.users'), debezium('shop\\.users,shop\\.orders').config)).toEqual([]);
    expect(tablesNewToHistory(debezium('shop\\.users,shop\\.orders', 'false'), debezium('shop\\.users').config)).toEqual([]);
  });
});
