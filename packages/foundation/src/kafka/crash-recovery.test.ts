import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../errors.js';
import { crashRecovery, isKafkaClientError, restartDelayMs } from './crash-recovery.js';

describe('crashRecovery', () => {
  it('leaves a crash kafkajs restarts to kafkajs', () => {
    expect(crashRecovery({ kafkajsRestarts: true, handlerFailed: false })).toBe('kafkajs');
    expect(crashRecovery({ kafkajsRestarts: true, handlerFailed: true })).toBe('kafkajs');
  });

  it('restarts a consumer kafkajs gave up on for a broker or client error', () => {
    expect(crashRecovery({ kafkajsRestarts: false, handlerFailed: false })).toBe('restart');
  });

  it('keeps a consumer stopped whose batch handler failed on purpose or with a bug', () => {
    expect(crashRecovery({ kafkajsRestarts: false, handlerFailed: true })).toBe('stop');
  });
});

describe('isKafkaClientError', () => {
  it('tells kafkajs errors from the handler’s own', () => {
    expect(isKafkaClientError(new KafkaJSNonRetriableError('fenced'))).toBe(true);
    expect(isKafkaClientError(new KafkaJSProtocolError('The producer attempted to use a producer id which is not currently assigned'))).toBe(true);
    expect(isKafkaClientError(new AppError(ErrorCode.StatePartiallyApplied, 'partly applied'))).toBe(false);
    expect(isKafkaClientError(new TypeError('x is undefined'))).toBe(false);
    expect(isKafkaClientError('a string')).toBe(false);
  });
});

describe('restartDelayMs', () => {
  it('doubles from 1 s and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => restartDelayMs(attempt, 30_000))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(restartDelayMs(0, 30_000)).toBe(1_000);
  });
});
