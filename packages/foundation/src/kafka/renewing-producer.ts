import type { Kafka, Producer, ProducerBatch, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';

/**
 * Broker answers after which an idempotent producer's sequence numbers no longer match the broker's (a
 * broker killed and restarted can lose the tail it had not flushed, and the producer state with it):
 * every later send of that producer fails the same way, so only a new producer (a new producer id) gets
 * through.
 */
const PRODUCER_STATE_LOST: ReadonlySet<string> = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/** Whether a kafkajs error, or one it wraps, says the producer's idempotence state is gone. */
export function isProducerStateLost(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  const { type, cause, errors } = error as { type?: unknown; cause?: unknown; errors?: unknown };
  if (typeof type === 'string' && PRODUCER_STATE_LOST.has(type)) return true;
  // KafkaJSNumberOfRetriesExceeded and friends wrap the broker's answer in `cause`; aggregates list theirs in `errors`.
  if (Array.isArray(errors) && errors.some((each) => isProducerStateLost(each, depth + 1))) return true;
  return isProducerStateLost(cause, depth + 1);
}

/** The part of a kafkajs producer that writers use. */
export type RecordSender = Pick<Producer, 'send' | 'sendBatch'>;

/** A long-lived idempotent producer that survives the broker forgetting it (see `renewingProducer`). */
export interface RenewingProducer extends RecordSender {
  /** Connects the producer now in use (a new one after a renewal). */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface RenewingProducerHooks {
  /** Each kafkajs producer made, before it connects (to follow its CONNECT/DISCONNECT events). */
  readonly created?: (producer: Producer) => void;
  /** A producer was dropped because the broker lost its state; the next send makes a new one. */
  readonly renewed?: (cause: unknown) => void;
}

/**
 * An idempotent producer for a process that lives long: when a send fails because the broker no longer
 * knows the producer's sequence (`isProducerStateLost`, after a broker kill -9 or a truncated log), that
 * producer is dropped and the next send goes through a new one, instead of every later send failing the
 * same way until the process restarts. The failing send still rejects: the caller retries it as it would
 * any failed send, and the re-sent records may duplicate what landed, which the readers' guards absorb.
 * Other failures (a broker that is down) keep the producer, whose own retries reconnect it.
 */
export function renewingProducer(kafka: Kafka, config: ProducerConfig, hooks: RenewingProducerHooks = {}): RenewingProducer {
  let current: Producer | undefined;
  /** The producer whose `connect()` resolved (kafkajs reconnects a connected producer's brokers by itself). */
  let connected: Producer | undefined;
  let stopped = false;
  const inUse = (): Producer => {
    if (current === undefined) {
      current = kafka.producer(config);
      hooks.created?.(current);
    }
    return current;
  };
  const connect = async (producer: Producer): Promise<void> => {
    if (connected === producer) return;
    await producer.connect();
    connected = producer;
  };
  const renewOn = (producer: Producer, cause: unknown): void => {
    if (!isProducerStateLost(cause) || current !== producer) return;
    current = undefined;
    hooks.renewed?.(cause);
    void producer.disconnect().catch(() => undefined);
  };
  const through = async <T>(use: (producer: Producer) => Promise<T>): Promise<T> => {
    if (stopped) throw new Error('the producer was disconnected');
    const producer = inUse();
    try {
      await connect(producer); // a renewed producer connects on its first send
      return await use(producer);
    } catch (cause) {
      renewOn(producer, cause);
      throw cause;
    }
  };
  return {
    connect: () => connect(inUse()),
    send: (record: ProducerRecord): Promise<RecordMetadata[]> => through((producer) => producer.send(record)),
    sendBatch: (batch: ProducerBatch): Promise<RecordMetadata[]> => through((producer) => producer.sendBatch(batch)),
    disconnect: async () => {
      stopped = true;
      await current?.disconnect();
    },
  };
}
