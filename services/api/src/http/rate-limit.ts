import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import rateLimit from '@fastify/rate-limit';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { DEFAULT_RATE_LIMIT } from '../domain/auth/api-keys.js';

/**
 * Per-key request limits (each key's `rate_limit` in api-keys.yaml), counted after authentication; public
 * routes opt out. In this process's memory (several instances each allow the limit), or, given `redis`,
 * in Redis under `sr:ratelimit:<key id>`, shared by every instance; a Redis error or timeout lets the
 * request through rather than refusing or delaying it.
 */
export async function registerRateLimit(app: FastifyInstance, onExceeded: (keyId: string) => void, redis?: Redis): Promise<void> {
  await app.register(rateLimit, {
    ...(redis === undefined ? {} : { redis, nameSpace: 'sr:ratelimit:', skipOnError: true }),
    global: true,
    hook: 'preValidation',
    keyGenerator: (request) => request.apiKey?.id ?? 'public',
    max: (request) => request.apiKey?.rateLimit.max ?? DEFAULT_RATE_LIMIT.max,
    timeWindow: (request) => (request.apiKey?.rateLimit.windowSeconds ?? DEFAULT_RATE_LIMIT.windowSeconds) * 1000,
    allowList: (request) => request.routeOptions.config.scope === undefined,
    onExceeded: (_request, key) => onExceeded(key),
    errorResponseBuilder: (_request, context) =>
      new AppError(ErrorCode.RateLimited, `rate limit of ${context.max} requests per ${Math.round(context.ttl / 1000) || 1} s exceeded; retry in ${context.after}`, {
        details: { limit: context.max, retry_after: context.after },
      }),
  });
}
