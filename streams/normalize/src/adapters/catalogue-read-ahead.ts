import type { Logger } from '@streamrec/foundation/process';

export interface CatalogueReadAheadOptions {
  /** The datasets topic, read alone first. */
  readonly catalogueTopic: string;
  /** Every other topic of the consumer: paused until the datasets topic is read up to its end as of the start. */
  readonly otherTopics: readonly string[];
  readonly consumer: {
    pause(topics: { topic: string }[]): void;
    resume(topics: { topic: string }[]): void;
  };
  /** High watermark per non-empty partition of the datasets topic, as of now. */
  readonly endOffsets: () => Promise<Map<number, bigint>>;
  /** normalize's stored offset of a datasets partition (the last applied record), if any. */
  readonly storedOffset: (partition: number) => Promise<bigint | undefined>;
  /**
   * The consumer may start a partition at the log end or at a timestamp (fromBeginning false, or a start
   * timestamp): then nothing is read ahead and nothing paused. A paused partition without a stored offset
   * would have its "latest" start resolved only at the resume, skipping what was written meanwhile.
   */
  readonly startsAtLatest: boolean;
  readonly log: Logger;
  readonly onHold?: (holding: boolean) => void;
  readonly pollMs?: number;
  /** Past this, the other topics resume anyway (with a warning): a stuck datasets partition must not stop all events. */
  readonly timeoutMs?: number;
}

export interface CatalogueReadAhead {
  /** Resolves once the other topics are resumed. */
  readonly done: Promise<'caught_up' | 'timeout' | 'stopped'>;
  stop(): void;
}

/**
 * At start, normalize reads `cdc.shop.datasets` up to its end before any other `cdc.*` topic. One consumer
 * reads all topics at once, so at a first start (a snapshot of everything) it published many datasets'
 * views before the datasets themselves, and the features user stage joined those views without the item
 * (no industry, tag or price affinity, for good). Held back, the views come after their datasets, and the
 * user stage's catalogue wait finds the item (streams/features README).
 */
export function startCatalogueReadAhead(options: CatalogueReadAheadOptions): CatalogueReadAhead {
  const pollMs = options.pollMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const others = options.otherTopics.map((topic) => ({ topic }));
  let stopped = false;
  let wake: () => void = () => undefined;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const caughtUp = async (ends: Map<number, bigint>): Promise<boolean> => {
    for (const [partition, end] of ends) {
      const stored = await options.storedOffset(partition);
      if (stored === undefined || stored < end - 1n) return false;
    }
    return true;
  };
  const run = async (): Promise<'caught_up' | 'timeout' | 'stopped'> => {
    if (options.startsAtLatest) return 'caught_up';
    const started = Date.now();
    let ends: Map<number, bigint>;
    try {
      ends = await options.endOffsets();
      // Nothing to read ahead (a restart that applied every dataset): the other topics are never paused.
      if (await caughtUp(ends)) return 'caught_up';
    } catch (error) {
      options.log.warn({ err: error }, 'datasets read-ahead skipped: the offsets could not be read');
      return 'timeout';
    }
    if (stopped) return 'stopped';
    options.consumer.pause(others);
    options.onHold?.(true);
    try {
      options.log.info({ topic: options.catalogueTopic, partitions: Object.fromEntries([...ends].map(([partition, end]) => [partition, end.toString()])) }, 'reading the datasets ahead of the other topics');
      for (;;) {
        if (stopped) return 'stopped';
        if (await caughtUp(ends)) {
          options.log.info({ ms: Date.now() - started }, 'datasets read ahead; the other topics resume');
          return 'caught_up';
        }
        if (Date.now() - started >= timeoutMs) {
          options.log.warn({ timeoutMs }, 'datasets not read ahead in time; the other topics resume anyway');
          return 'timeout';
        }
        await sleep(pollMs);
      }
    } catch (error) {
      options.log.warn({ err: error }, 'datasets read-ahead failed; the other topics resume');
      return 'timeout';
    } finally {
      if (!stopped) options.consumer.resume(others);
      options.onHold?.(false);
    }
  };
  const done = run();
  return {
    done,
    stop: () => {
      stopped = true;
      wake();
    },
  };
}
