import { describe, expect, it } from 'vitest';
import kafkajs, { type Kafka } from 'kafkajs';
import { renewingProducer } from './renewing-producer.js';

const { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;
/** A broker error as kafkajs builds it (its typings only declare the message form of the constructor). */
const protocolError = (type: string, code: number, message: string): Error => new KafkaJSProtocolError({ type, code, retriable: false, message } as unknown as Error);
const unknownProducer = (): Error => protocolError('UNKNOWN_PRODUCER_ID', 59, 'This exception is raised by the broker if it could not locate the producer metadata');

interface FakeProducer {
  connects: number;
  sends: number;
  disconnected: boolean;
}

/** A Kafka whose producers are fakes: each counts its connects and sends, and fails the sends `failures` says. */
function fakeKafka(failures: (producer: number, send: number) => Error | undefined) {
  const producers: FakeProducer[] = [];
  const kafka = {
    producer: () => {
      const index = producers.length;
      const state: FakeProducer = { connects: 0, sends: 0, disconnected: false };
      producers.push(state);
      const send = (): Promise<never[]> => {
        state.sends += 1;
        const error = failures(index, state.sends);
        return error === undefined ? Promise.resolve([]) : Promise.reject(error);
      };
      return {
        connect: () => {
          state.connects += 1;
          return Promise.resolve();
        },
        disconnect: () => {
          state.disconnected = true;
          return Promise.resolve();
        },
        send,
        sendBatch: send,
      };
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const record = { topic: 't', acks: -1, messages: [{ key: 'k', value: 'v' }] };

describe('a renewing producer', () => {
  it('drops a producer the broker lost (wrapped in kafkajs’s retry error too) and sends the retry through a new one', async () => {
    const lost = unknownProducer();
    const { kafka, producers } = fakeKafka((producer) => (producer === 0 ? new KafkaJSNumberOfRetriesExceeded(lost, { retryCount: 5, retryTime: 100 }) : undefined));
    const renewals: unknown[] = [];
    const created: unknown[] = [];
    const producer = renewingProducer(kafka, { idempotent: true }, { renewed: (cause) => renewals.push(cause), created: (made) => created.push(made) });
    await producer.connect();
    await expect(producer.send(record)).rejects.toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect(producers[0]?.disconnected).toBe(true);
    expect(renewals).toHaveLength(1);
    await producer.sendBatch({ acks: -1, topicMessages: [record] });
    await producer.send(record);
    expect(producers.map(({ connects, sends }) => [connects, sends])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(created).toHaveLength(2);
    await producer.disconnect();
    expect(producers[1]?.disconnected).toBe(true);
    await expect(producer.send(record)).rejects.toThrow(/disconnected/);
  });

  it('keeps its producer through other failures: a broker that is down is retried with the same producer', async () => {
    const { kafka, producers } = fakeKafka((_, send) => (send === 1 ? new Error('Connection error: ECONNREFUSED') : send === 2 ? protocolError('NOT_LEADER_FOR_PARTITION', 6, 'not leader') : undefined));
    const producer = renewingProducer(kafka, { idempotent: true });
    await expect(producer.send(record)).rejects.toThrow(/ECONNREFUSED/);
    await expect(producer.send(record)).rejects.toThrow(/not leader/);
    await producer.send(record);
    expect(producers).toHaveLength(1);
    expect(producers[0]).toEqual({ connects: 1, sends: 3, disconnected: false });
  });

  it('renews once when several sends in flight fail on the same lost producer', async () => {
    const { kafka, producers } = fakeKafka((producer) => (producer === 0 ? unknownProducer() : undefined));
    let renewals = 0;
    const producer = renewingProducer(kafka, { idempotent: true }, { renewed: () => (renewals += 1) });
    await producer.connect();
    const results = await Promise.allSettled([producer.send(record), producer.send(record), producer.send(record)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(renewals).toBe(1);
    await producer.send(record);
    expect(producers).toHaveLength(2);
    expect(producers[1]?.sends).toBe(1);
  });
});
