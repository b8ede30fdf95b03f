/**
 * Integration (needs the local stack: `npm run setup`): the demo generator's per-table counts of
 * inserted, updated and deleted rows equal the distinct keys that arrived on the cdc.* topics with
 * op c, u and d — every row the generator wrote went through the binlog and Debezium into Kafka.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedTables, cdcTopics } from '../helpers/cdc-state.js';
import { CdcTopicReader, type CdcRecord } from '../helpers/cdc-topic.js';
import { runDemoGenerator, type GeneratorSummary } from '../helpers/demo-generator.js';
import { createKafka } from '../helpers/stack.js';

let reader: CdcTopicReader;

beforeAll(async () => {
  reader = new CdcTopicReader(createKafka('test-cdc-generator-counts'), cdcTopics);
  await reader.start('now');
});

afterAll(async () => {
  await reader.stop();
});

type Counts = Record<string, { inserted: number; updated: number; deleted: number }>;

function distinctKeysPerOp(records: readonly CdcRecord[]): Counts {
  const counts: Counts = {};
  for (const { schema, table, topic } of capturedTables) {
    const keys = { c: new Set<string>(), u: new Set<string>(), d: new Set<string>() };
    for (const record of records) {
      if (record.topic !== topic || record.value === null) continue;
      const op = record.value.op;
      if (op === 'c' || op === 'u' || op === 'd') keys[op].add(JSON.stringify(record.key));
    }
    counts[`${schema}.${table}`] = { inserted: keys.c.size, updated: keys.u.size, deleted: keys.d.size };
  }
  return counts;
}

function expectedCounts(summary: GeneratorSummary): Counts {
  const counts: Counts = {};
  for (const { schema, table } of capturedTables) {
    const name = `${schema}.${table}`;
    counts[name] = summary.tables[name] ?? { inserted: 0, updated: 0, deleted: 0 };
  }
  return counts;
}

describe('demo generator → MariaDB binlog → Debezium → Kafka', () => {
  it("the generator's row counts per table equal the distinct keys that arrived on the topics", async () => {
    const { code, summary } = await runDemoGenerator(['bulk', '--seed', String(Date.now() % 100_000), '--scale', 'small', '--append']);
    expect(code).toBe(0);
    expect(summary).toBeDefined();
    const expected = expectedCounts(summary!);

    let arrived: Counts = {};
    await reader
      .waitUntil('every generated change to arrive on the cdc topics', (records) => {
        arrived = distinctKeysPerOp(records);
        return JSON.stringify(arrived) === JSON.stringify(expected);
      }, 90_000)
      .catch(() => undefined);

    expect(arrived).toEqual(expected);
    const total = Object.values(expected).reduce((sum, counts) => sum + counts.inserted, 0);
    expect(total).toBeGreaterThan(1_000);
    console.log(`generator counts vs topics: ${JSON.stringify(expected)}`);
  });
});
