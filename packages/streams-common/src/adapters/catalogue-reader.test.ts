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
