import { createPublicKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { parseStateVersion } from '@streamrec/foundation';
import { type Logger } from '@streamrec/foundation/process';
import type { StreamContext } from '@streamrec/streams-common';
import { CatalogueStore } from '@streamrec/streams-common';
import { startCatalogueReader, type CatalogueReader } from '@streamrec/streams-common/adapters';
import { priceBucketer } from '@streamrec/features';
import { followActiveVersion, type ActiveVersionFollower } from '../adapters/active-version.js';
import { startAnswerCache, type AnswerCache } from '../adapters/answer-cache.js';
import { loadContentIndex, type ContentIndex } from '../adapters/content-index.js';
import { createExperimentsSource, type ExperimentsSource } from '../adapters/experiments-source.js';
import { createModelLoadGuard } from '../adapters/model-load-guard.js';
import { startModelRegistry, type ModelRegistry } from '../adapters/model-registry.js';
import { startPopularSnapshotSource, type PopularSnapshotSource } from '../adapters/popular-snapshot-source.js';
import { createRedisStateReader, type RedisStateReader } from '../adapters/redis-state-reader.js';
import { parseApiKeysYaml, type ApiKeyStore } from '../domain/auth/api-keys.js';
import type { ApiConfig } from '../config.js';
import type { ApiMetrics } from '../metrics.js';

/** The long-lived parts of the API process, started in dependency order. */
export interface ApiComponents {
  readonly context: () => StreamContext;
  readonly activeVersion: ActiveVersionFollower;
  readonly catalogue: CatalogueStore;
  readonly catalogueReader: CatalogueReader;
  readonly content: ContentIndex;
  readonly models: ModelRegistry;
  readonly experiments: ExperimentsSource;
  readonly apiKeys: ApiKeyStore;
  readonly state: RedisStateReader;
  readonly snapshot: PopularSnapshotSource;
  readonly answers: AnswerCache;
  readonly priceBucketOf: (price: number | null) => string | undefined;
  readonly priceBucketIndexOf: (price: number | null) => number;
  /** Stops what was started, in reverse order (saving the content index and the caches). */
  stop(): Promise<void>;
}

export async function startComponents(config: ApiConfig, kafka: Kafka, redis: Redis, metrics: ApiMetrics, log: Logger): Promise<ApiComponents> {
  const stoppers: (() => Promise<unknown>)[] = [];
  const stop = async (): Promise<void> => {
    for (const step of stoppers.splice(0).reverse()) await step().catch((error: unknown) => log.warn({ err: error }, 'stop step failed'));
  };
  try {
    const apiKeys = parseApiKeysYaml(readFileSync(config.paths.apiKeys, 'utf8'), config.paths.apiKeys);
    const experiments = createExperimentsSource({
      path: config.paths.experiments,
      log: log.child({ component: 'experiments' }),
      onReload: (result) => metrics.experimentsReloads.inc({ result: result.ok ? 'ok' : 'invalid' }),
    });
    experiments.watch();
    stoppers.push(() => Promise.resolve(experiments.close()));

    const activeVersion = await followActiveVersion(redis, config.activeVersionRefreshMs, log, config.stateVersion === undefined ? undefined : parseStateVersion(config.stateVersion));
    stoppers.push(() => Promise.resolve(activeVersion.stop()));
    const context = (): StreamContext => ({ version: activeVersion.current(), userPartitions: config.partitions.user, itemPartitions: config.partitions.item });
    const { labelOf: priceBucketOf, indexOf: priceBucketIndexOf } = priceBucketer(config.featuresParams.priceBucketBounds);

    const contentDir = join(config.paths.dataDir, 'content-index');
    const content = await loadContentIndex(contentDir, { log: log.child({ component: 'content-index' }) });
    content.beginBulk();
    const catalogue = new CatalogueStore();
    const sink = {
      apply: (change: Parameters<CatalogueStore['apply']>[0]) => {
        catalogue.apply(change);
        content.apply(change);
      },
      forget: (id: string) => {
        catalogue.forget(id);
        content.forget(id);
      },
      get size() {
        return catalogue.size;
      },
    };
    const catalogueReader = await startCatalogueReader(kafka, sink, { topic: config.topics.items, groupId: `streamrec-api-catalogue-${randomUUID()}` }, log.child({ component: 'catalogue' }));
    stoppers.push(() => catalogueReader.stop());
    stoppers.push(() => content.save(contentDir));
    const saveContent = setInterval(() => {
      content.save(contentDir).catch((error: unknown) => log.warn({ err: error }, 'saving the content index failed'));
    }, 300_000);
    saveContent.unref();
    stoppers.push(() => Promise.resolve(clearInterval(saveContent)));
    void catalogueReader.caughtUp().then(() => {
      content.endBulk();
      content.save(contentDir).catch((error: unknown) => log.warn({ err: error }, 'saving the content index failed'));
    });

    const servingVersions = new Map<string, string>();
    const loadGuard = await createModelLoadGuard({ ...config.models, journalFile: join(config.paths.dataDir, 'model-loads.json') }, log);
    const verifyKey = config.paths.modelVerifyKey === undefined ? undefined : createPublicKey(await readFile(config.paths.modelVerifyKey, 'utf8'));
    if (verifyKey === undefined) log.warn('model publications are not verified (STREAMREC_MODEL_VERIFY_KEY_FILE is not set): anyone who can write the models topic decides the ranking');
    const models = await startModelRegistry(
      {
        kafka,
        log,
        loadGuard,
        verifyKey,
        metrics: {
          loaded: (name, version) => {
            const previous = servingVersions.get(name);
            if (previous !== undefined) metrics.modelInfo.remove({ model: name, version: previous });
            servingVersions.set(name, version);
            metrics.modelInfo.set({ model: name, version }, 1);
          },
          rejected: (name, reason) => metrics.modelRejected.inc({ model: name, reason }),
          unloaded: (name) => {
            const previous = servingVersions.get(name);
            if (previous !== undefined) metrics.modelInfo.remove({ model: name, version: previous });
            servingVersions.delete(name);
          },
        },
      },
      { topic: config.topics.models, groupId: `streamrec-api-models-${randomUUID()}` },
    );
    stoppers.push(() => models.stop());

    const state = createRedisStateReader(redis, {
      context,
      decay: config.featuresParams,
      depths: config.depths,
      clock: Date.now,
      itemStatsTtlMs: config.itemStats.ttlMs,
      itemStatsCacheSize: config.itemStats.cacheSize,
      neighboursTtlMs: config.itemStats.neighboursTtlMs,
      usersPartitions: config.partitions.users,
    });
    const snapshot = await startPopularSnapshotSource(
      redis,
      {
        context,
        catalogue: catalogue.lookup as (item: Parameters<CatalogueStore['lookup']>[0]) => ReturnType<CatalogueStore['lookup']>,
        priceBucketOf,
        trendingParams: config.trendingParams,
        clock: Date.now,
        depth: config.snapshot.depth,
        listLimit: config.snapshot.listLimit,
        refreshMs: config.snapshot.refreshMs,
        popularity: config.snapshot.popularity,
        file: join(config.paths.dataDir, 'popular-lists.json'),
        onRefresh: (result) => metrics.snapshotRefreshes.inc({ result }),
      },
      log.child({ component: 'popular-lists' }),
    );
    stoppers.push(() => snapshot.stop());
    const answers = await startAnswerCache(
      { capacity: config.answerCache.capacity, saveEveryMs: config.answerCache.saveEveryMs, file: join(config.paths.dataDir, 'last-answers.json') },
      log.child({ component: 'last-answers' }),
    );
    stoppers.push(() => answers.stop());
    return { context, activeVersion, catalogue, catalogueReader, content, models, experiments, apiKeys, state, snapshot, answers, priceBucketOf, priceBucketIndexOf, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
