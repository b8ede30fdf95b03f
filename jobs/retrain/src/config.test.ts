import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { loadRetrainConfig } from './config.js';

describe('retrain config', () => {
  it('defaults to the local stack, the project topics, .stack/venv and the sqlite MLflow store', () => {
    const config = loadRetrainConfig({ STREAMREC_CLICKHOUSE_PASSWORD: 'secret', STREAMREC_KAFKA_BROKERS: undefined });
    expect(config.topics).toEqual({ published: 'models.published.v1', history: 'models.history.v1' });
    expect(config.python).toMatch(/\/\.stack\/venv\/bin\/python$/);
    expect(config.mlflow.trackingUri).toMatch(/^sqlite:\/\/\/\/.*\/\.stack\/mlflow\/mlflow\.db$/);
    expect(config.clickhouse).toMatchObject({ database: 'streamrec', password: 'secret' });
    expect(config.metrics.port).toBe(19_106);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes overrides from the environment', () => {
    const config = loadRetrainConfig({
      STREAMREC_MODELS_TOPIC: 't.models',
      STREAMREC_MODELS_HISTORY_TOPIC: 't.history',
      STREAMREC_MLFLOW_TRACKING_URI: 'http://mlflow:5000',
      STREAMREC_RETRAIN_METRICS_PORT: '0',
      STREAMREC_KAFKA_BROKERS: 'a:1, b:2',
    });
    expect(config).toMatchObject({ topics: { published: 't.models', history: 't.history' }, mlflow: { trackingUri: 'http://mlflow:5000' }, metrics: { port: 0 }, kafka: { brokers: ['a:1', 'b:2'] } });
  });

  it('lists every violation at once', () => {
    let caught: unknown;
    try {
      loadRetrainConfig({ STREAMREC_CLICKHOUSE_DATABASE: 'x;drop', STREAMREC_MLFLOW_TRACKING_URI: 'file:./mlruns', STREAMREC_RETRAIN_METRICS_PORT: 'abc', STREAMREC_MODELS_TOPIC: 'bad topic' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: ErrorCode.ConfigInvalid });
    const message = (caught as Error).message;
    for (const path of ['clickhouse.database', 'mlflow.trackingUri', 'metrics.port', 'topics.published']) expect(message).toContain(path);
    expect(() => loadRetrainConfig({ STREAMREC_LOG_LEVEL: 'loud' })).toThrow(/log.level/);
  });
});
