import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCatalogueReader, type CatalogueSink } from './catalogue-reader.js';

/** A Kafka whose topic is empty and whose consumer can crash the way kafkajs reports it. */
function fakeKafka(): { kafka: Kafka; crash: (restart: boolean) => void; runs: () => number; disconnects: () => number } {
  const events = new EventEmitter();
  let runs = 0;
  let disconnects = 0;
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (event: string, listener: (payload: unknown) => void) => events.on(event, listener),
    connect: () => Promise.resolve(),
    subscribe: () => Promise.resolve(),
    run: () => {
      runs += 1;
      return Promise.resolve();
    },
    disconnect: () => {
      disconnects += 1;
      return Promise.resolve();
    },
  };
  const admin = { connect: () => Promise.resolve(), disconnect: () => Promise.resolve(), fetchTopicOffsets: () => Promise.resolve([]) };
  const kafka = { consumer: () => consumer, admin: () => admin } as unknown as Kafka;
  return { kafka, crash: (restart) => events.emit('consumer.crash', { payload: { error: new Error('Failed to find group coordinator'), restart } }), runs: () => runs, disconnects: () => disconnects };
}

const sink: CatalogueSink = { apply: () => undefined, forget: () => undefined, size: 0 };
const log = pino({ level: 'silent' });

afterEach(() => vi.useRealTimers());

describe('the catalogue reader', () => {
  it('reads to the end of the topic as of a call, and gives up after the timeout when the end is not reached', async () => {
    let high = '3';
    let eachBatch: ((payload: unknown) => Promise<void>) | undefined;
    const consumer = {
      events: { CRASH: 'consumer.crash' },
      on: () => undefined,
      connect: () => Promise.resolve(),
      subscribe: () => Promise.resolve(),
      run: (config: { eachBatch: (payload: unknown) => Promise<void> }) => {
        eachBatch = config.eachBatch;
        return Promise.resolve();
      },
      disconnect: () => Promise.resolve(),
    };
    const admin = { connect: () => Promise.resolve(), disconnect: () => Promise.resolve(), fetchTopicOffsets: () => Promise.resolve([{ partition: 0, high, low: '0' }]) };
    const kafka = { consumer: () => consumer, admin: () => admin } as unknown as Kafka;
    const deliver = (lastOffset: number): Promise<void> =>
      eachBatch!({ batch: { partition: 0, messages: [], lastOffset: () => String(lastOffset) } });
    const reader = await startCatalogueReader(kafka, sink, { topic: 'events.items.v1', groupId: 'g' }, log);
    await deliver(2);
    expect(await reader.readToEnd(1_000)).toBe(true); // already there: no wait
    high = '6'; // a dataset arrived since
    const waiting = reader.readToEnd(60_000);
    await deliver(4);
    let settled = false;
    void waiting.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await deliver(5);
    expect(await waiting).toBe(true);

    vi.useFakeTimers();
    high = '9';
    const late = reader.readToEnd(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await late).toBe(false);
    await reader.stop();
  });

  it('runs its consumer again when kafkajs gives up on it, so catalogue changes keep arriving after a broker outage', async () => {
    vi.useFakeTimers();
    const fake = fakeKafka();
    const reader = await startCatalogueReader(fake.kafka, sink, { topic: 'events.items.v1', groupId: 'g' }, log);
    expect(fake.runs()).toBe(1);
    fake.crash(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.runs()).toBe(2);
    await reader.stop();
    fake.crash(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.runs()).toBe(2);
    expect(fake.disconnects()).toBe(1);
  });
});
