// kafkajs 2.2.4 is patched at install (patches/kafkajs+2.2.4.patch, applied by patch-package in postinstall):
// its producer grouped a send's messages per partition by copying each partition's array on every message,
// quadratic in the batch (tulios/kafkajs#1576, never released). A catch-up batch of the user stages sends
// ~15,000 repartition records at once. This checks the installed copy is the patched one and groups the same.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const modulePath = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
const groupMessagesPerPartition = require(modulePath) as (input: {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly { key: string }[];
  partitioner: (args: { message: { key: string } }) => number;
}) => Record<string, { key: string }[]>;

describe('the installed kafkajs groups a send per partition in one pass', () => {
  it('is the patched file', () => {
    const source = readFileSync(modulePath, 'utf8');
    expect(source).toContain('current.push(message)');
    expect(source).not.toContain('[...current, message]');
  });

  it('puts every message in its partition, in send order', () => {
    const messages = Array.from({ length: 10 }, (_, index) => ({ key: String(index) }));
    const grouped = groupMessagesPerPartition({ topic: 't', partitionMetadata: [{}, {}, {}], messages, partitioner: ({ message }) => Number(message.key) % 3 });
    expect(grouped).toEqual({
      0: [{ key: '0' }, { key: '3' }, { key: '6' }, { key: '9' }],
      1: [{ key: '1' }, { key: '4' }, { key: '7' }],
      2: [{ key: '2' }, { key: '5' }, { key: '8' }],
    });
    expect(groupMessagesPerPartition({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 })).toEqual({});
  });
});
