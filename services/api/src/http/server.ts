import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Redis } from 'ioredis';
import { AuthFailureLimiter } from '../domain/auth/auth-failure-limiter.js';
import { authPlugin } from './auth.js';
import { clientErrorHandler } from './client-error.js';
import { registerErrorHandler } from './error-handler.js';
import { registerRateLimit } from './rate-limit.js';
import { ErrorBody } from './schemas.js';
import type { ApiServices } from './services.js';

/** The API key scheme both OpenAPI documents declare. */
export const apiKeySecurityScheme = { apiKey: { type: 'apiKey' as const, in: 'header', name: 'X-API-Key' } };

export interface BuildAppOptions {
  readonly logger?: FastifyServerOptions['loggerInstance'];
  /** Count the key rate limits in this Redis, shared by every instance (`http.sharedRateLimit`). */
  readonly rateLimitRedis?: Redis;
  /** Failed authentications counted per client address; the public and the operations app share one. */
  readonly failureLimiter?: AuthFailureLimiter;
}

/**
 * What the public app and the operations app share: one error shape (and 405s), request timings in the
 * metrics, API key authentication with the same failure limiter, and the per-key rate limits.
 */
export async function createServer(services: ApiServices, options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    bodyLimit: services.http.bodyLimitBytes,
    trustProxy: services.http.trustProxy,
    // Fastify's per-request logs carry the client address; the metrics cover requests instead.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    clientErrorHandler,
    // additionalProperties: false must refuse unknown fields, not silently drop them.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: true } },
  });
  registerErrorHandler(app);
  app.addSchema(ErrorBody);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    services.metrics.httpDuration.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  await app.register(authPlugin, {
    authenticate: (presented) => services.authenticate(presented),
    onFailure: (reason) => services.metrics.authFailures.inc({ reason }),
    failureLimiter: options.failureLimiter ?? new AuthFailureLimiter(services.http.authFailures),
    clock: services.clock,
  });
  await registerRateLimit(app, (key) => services.metrics.rateLimited.inc({ key }), options.rateLimitRedis);
  return app;
}
