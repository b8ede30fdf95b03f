import { EventEmitter } from 'node:events';
import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepConsumerRunning } from './keep-running.js';

function fakeConsumer(): { consumer: Consumer; crash: (restart: boolean) => void; runs: () => number } {
  const events = new EventEmitter();
  let runs = 0;
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (event: string, listener: (payload: unknown) => void) => events.on(event, listener),
    connect: () => Promise.resolve(),
    run: () => {
      runs += 1;
      return Promise.resolve();
    },
  } as unknown as Consumer;
  return { consumer, crash: (restart) => events.emit('consumer.crash', { payload: { error: new Error('Failed to find group coordinator'), restart } }), runs: () => runs };
}

const config: ConsumerRunConfig = { eachBatch: () => Promise.resolve() };
const log = pino({ level: 'silent' });

afterEach(() => vi.useRealTimers());

describe('keepConsumerRunning', () => {
  it('runs a consumer kafkajs gave up on again, after a delay', async () => {
    vi.useFakeTimers();
    const fake = fakeConsumer();
    keepConsumerRunning(fake.consumer, config, log);
    fake.crash(false);
    expect(fake.runs()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.runs()).toBe(1);
  });

  it('leaves a crash kafkajs restarts itself alone, and restarts nothing once stopped', async () => {
    vi.useFakeTimers();
    const fake = fakeConsumer();
    const stop = keepConsumerRunning(fake.consumer, config, log);
    fake.crash(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.runs()).toBe(0);
    fake.crash(false);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.runs()).toBe(0);
  });
});
