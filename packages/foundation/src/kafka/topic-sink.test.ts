import { describe, expect, it } from 'vitest';
import kafkajs, { type Kafka } from 'kafkajs';
import { isProducerStateLost } from './renewing-producer.js';
import { startTopicSink } from './topic-sink.js';

const { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;
/** A broker error as kafkajs builds it (its typings only declare the message form of the constructor). */
const protocolError = (type: string, code: number, message: string): Error => new KafkaJSProtocolError({ type, code, retriable: false, message } as unknown as Error);
const outOfOrder = (): Error => protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45, 'The broker received an out of order sequence number');

/** A Kafka whose producers are fakes: each records its sends and fails the ones `failures` says. */
function fakeKafka(failures: (producer: number, send: number) => Error | undefined) {
  const producers: { sends: number; disconnected: boolean }[] = [];
  const kafka = {
    producer: () => {
      const index = producers.length;
      const state = { sends: 0, disconnected: false };
      producers.push(state);
      return {
        connect: () => Promise.resolve(),
        disconnect: () => {
          state.disconnected = true;
          return Promise.resolve();
        },
        send: () => {
          state.sends += 1;
          const error = failures(index, state.sends);
          return error === undefined ? Promise.resolve([]) : Promise.reject(error);
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const message = { key: 'k', value: Buffer.from('v') };

describe('the processors’ topic sink', () => {
  it('replaces its producer when the broker lost its sequence, so the retried batch gets through', async () => {
    const { kafka, producers } = fakeKafka((producer) => (producer === 0 ? outOfOrder() : undefined));
    const sink = await startTopicSink(kafka, 't');
    await expect(sink.send([message])).rejects.toMatchObject({ retriable: true });
    expect(producers[0]?.disconnected).toBe(true);
    await sink.send([message]);
    expect(producers.map(({ sends }) => sends)).toEqual([1, 1]);
    await sink.stop();
    expect(producers[1]?.disconnected).toBe(true);
  });

  it('keeps its producer through other failures (a broker that is down is retried with the same producer)', async () => {
    const { kafka, producers } = fakeKafka((_, send) => (send === 1 ? new Error('Connection error: ECONNREFUSED') : undefined));
    const sink = await startTopicSink(kafka, 't');
    await expect(sink.send([message])).rejects.toMatchObject({ retriable: true });
    await sink.send([message]);
    expect(producers).toHaveLength(1);
    expect(producers[0]?.sends).toBe(2);
  });

  it('finds the broker’s answer inside kafkajs’s retry and aggregate errors', () => {
    expect(isProducerStateLost(outOfOrder())).toBe(true);
    expect(isProducerStateLost(new KafkaJSNumberOfRetriesExceeded(outOfOrder(), { retryCount: 5, retryTime: 100 }))).toBe(true);
    expect(isProducerStateLost({ name: 'KafkaJSAggregateError', errors: [new Error('x'), outOfOrder()] })).toBe(true);
    expect(isProducerStateLost(protocolError('NOT_LEADER_FOR_PARTITION', 6, 'not leader'))).toBe(false);
    expect(isProducerStateLost(new Error('Connection error'))).toBe(false);
    expect(isProducerStateLost(undefined)).toBe(false);
  });
});
