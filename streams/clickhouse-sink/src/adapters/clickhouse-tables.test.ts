import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { createClickHouseTables, stopQuery } from './clickhouse-tables.js';
import type { SinkRow } from './table-routes.js';

/** A client whose INSERTs and commands fail as told; it records what it was asked. */
function fakeClient(plan: { insert: (() => Error | undefined)[]; command: (() => Error | undefined)[] }): { client: ClickHouseClient; calls: string[] } {
  const calls: string[] = [];
  const next = (list: (() => Error | undefined)[]): Error | undefined => (list.shift() ?? (() => undefined))();
  const client = {
    insert: ({ query_id: queryId }: { query_id: string }) => {
      calls.push(`insert ${queryId}`);
      const error = next(plan.insert);
      return error === undefined ? Promise.resolve({ query_id: queryId }) : Promise.reject(error);
    },
    command: ({ query }: { query: string }) => {
      calls.push(query);
      const error = next(plan.command);
      return error === undefined ? Promise.resolve({}) : Promise.reject(error);
    },
    query: ({ query }: { query: string }) => {
      calls.push(`select ${query.slice(0, 6)}`);
      return Promise.resolve({ json: () => Promise.resolve([]) });
    },
  } as unknown as ClickHouseClient;
  return { client, calls };
}

const rows = [{ kafka_offset: 1 }] as unknown as SinkRow[];
const timeout = (): Error => new Error('Timeout error.');
const refused = (): Error => Object.assign(new Error('Code: 252, e.displayText() = DB::Exception: Too many parts'), { code: '252' });
const idOf = (call: string | undefined): string => call?.split(' ')[1] ?? '';

describe('the sink tables', () => {
  it('stops an INSERT that failed without an answer (a client timeout) before reporting it: the retry cannot race it', async () => {
    const { client, calls } = fakeClient({ insert: [timeout], command: [] });
    const error = await createClickHouseTables(client, 'streamrec').insert('interactions', rows).catch((caught: unknown) => caught);
    expect(isAppError(error, ErrorCode.DependencyUnavailable)).toBe(true);
    expect(calls).toEqual([calls[0], stopQuery(idOf(calls[0]))]);
    expect(idOf(calls[0])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not stop an INSERT the server answered with an error: it has ended', async () => {
    const { client, calls } = fakeClient({ insert: [refused], command: [] });
    await createClickHouseTables(client, 'streamrec').insert('interactions', rows).catch(() => undefined);
    expect(calls).toHaveLength(1);
  });

  it('when the stop fails, every later read and INSERT stops that INSERT first, and fails retriably until it can', async () => {
    const { client, calls } = fakeClient({ insert: [timeout], command: [timeout, timeout] });
    const tables = createClickHouseTables(client, 'streamrec');
    await tables.insert('interactions', rows).catch(() => undefined);
    const lost = idOf(calls[0]);
    const read = await tables.storedOffsets('interactions', 't').catch((caught: unknown) => caught);
    expect(isAppError(read, ErrorCode.DependencyUnavailable)).toBe(true);
    expect(calls).toEqual([`insert ${lost}`, stopQuery(lost), stopQuery(lost)]);
    // The ClickHouse is back: the stop goes through, then the read.
    expect(await tables.storedOffsets('interactions', 't')).toEqual(new Map());
    await tables.insert('interactions', rows);
    expect(calls.slice(3)).toEqual([stopQuery(lost), 'select SELECT', calls[5]]);
    expect(idOf(calls[5])).not.toBe(lost);
  });

  it('inlines only a UUID in KILL QUERY', () => {
    expect(() => stopQuery("x' OR 1=1 --")).toThrow(RangeError);
    expect(stopQuery('0b6c3f7e-2f1d-4c55-9d1b-6a3b2b1c0d9e')).toBe("KILL QUERY WHERE query_id = '0b6c3f7e-2f1d-4c55-9d1b-6a3b2b1c0d9e' SYNC");
  });
});
