import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Exposure } from '@streamrec/schemas';
import { createEventCodec } from '@streamrec/schemas/avro';
import { uniqueSuffix } from './stack.js';

const exposureCodec = createEventCodec('serving.exposures.v1');

interface Tally {
  requests: number;
  readonly requestsByVariant: Map<string, number>;
  readonly usersByVariant: Map<string, Set<string>>;
}

/** What the relay passed (or dropped) of one experiment: answers, and answers and users per variant. */
export interface RelayTally {
  readonly requests: number;
  readonly requestsByVariant: ReadonlyMap<string, number>;
  readonly usersByVariant: ReadonlyMap<string, ReadonlySet<string>>;
}

const EMPTY: RelayTally = { requests: 0, requestsByVariant: new Map(), usersByVariant: new Map() };

/**
 * The exposure log between the API and ClickHouse, with a fault a test can plant: copies every record of
 * one topic to another (key, value and headers as they are) except the exposures `drop` rejects — as an
 * exposure logger that loses some users' answers would. Tallies what it passed and dropped per
 * experiment, so a test knows exactly what ClickHouse should end up with.
 */
export class ExposureRelay {
  readonly #passed = new Map<string, Tally>();
  readonly #dropped = new Map<string, Tally>();
  #consumer: Consumer | undefined;
  #producer: Producer | undefined;
  /** The relay's consumer group (delete it when done). */
  readonly groupId = `test-exposure-relay-${uniqueSuffix()}`;

  constructor(
    private readonly kafka: Kafka,
    private readonly from: string,
    private readonly to: string,
    private readonly drop: (exposure: Exposure) => boolean,
  ) {}

  async start(): Promise<void> {
    const producer = this.kafka.producer({ idempotent: true });
    await producer.connect();
    this.#producer = producer;
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.from], fromBeginning: true });
    await consumer.run({
      eachBatch: async (payload) => {
        const { batch } = payload;
        const passed = batch.messages.filter((message) => {
          if (message.value === null) return false;
          const exposure = exposureCodec.decode(message.value);
          const dropped = this.drop(exposure);
          const tally = this.#tallyOf(dropped ? this.#dropped : this.#passed, exposure.experiment ?? '');
          tally.requests++;
          const variant = exposure.variant ?? '';
          tally.requestsByVariant.set(variant, (tally.requestsByVariant.get(variant) ?? 0) + 1);
          const users = tally.usersByVariant.get(variant) ?? new Set<string>();
          users.add(exposure.user_id);
          tally.usersByVariant.set(variant, users);
          return !dropped;
        });
        if (passed.length > 0) {
          await producer.send({ topic: this.to, acks: -1, messages: passed.map((message) => ({ key: message.key, value: message.value, headers: message.headers, partition: batch.partition })) });
        }
        const last = batch.messages.at(-1);
        if (last !== undefined) payload.resolveOffset(last.offset);
        await payload.heartbeat();
      },
    });
    this.#consumer = consumer;
  }

  #tallyOf(tallies: Map<string, Tally>, experiment: string): Tally {
    let tally = tallies.get(experiment);
    if (tally === undefined) {
      tally = { requests: 0, requestsByVariant: new Map(), usersByVariant: new Map() };
      tallies.set(experiment, tally);
    }
    return tally;
  }

  /** Answers of the experiment relayed to ClickHouse's topic. */
  passed(experiment: string): RelayTally {
    return this.#passed.get(experiment) ?? EMPTY;
  }

  dropped(experiment: string): RelayTally {
    return this.#dropped.get(experiment) ?? EMPTY;
  }

  /** Every answer of the experiment the relay has seen (passed or dropped). */
  seen(experiment: string): number {
    return this.passed(experiment).requests + this.dropped(experiment).requests;
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
    await this.#producer?.disconnect();
  }
}
