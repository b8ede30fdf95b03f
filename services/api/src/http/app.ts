import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Redis } from 'ioredis';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { AuthFailureLimiter } from '../domain/auth/auth-failure-limiter.js';
import { authPlugin } from './auth.js';
import { clientErrorHandler } from './client-error.js';
import { registerErrorHandler } from './error-handler.js';
import { defaultedParametersOptional, withClockBounds } from './openapi-document.js';
import { registerRateLimit } from './rate-limit.js';
import { eventRoutes } from './routes/events.js';
import { itemRoutes } from './routes/items.js';
import { operationRoutes } from './routes/operations.js';
import { recommendationsRoute } from './routes/recommendations.js';
import { ErrorBody } from './schemas.js';
import type { ApiServices } from './services.js';

export interface BuildAppOptions {
  readonly logger?: FastifyServerOptions['loggerInstance'];
  /** Count the key rate limits in this Redis, shared by every instance (`http.sharedRateLimit`). */
  readonly rateLimitRedis?: Redis;
}

/** Builds the HTTP app (no listen): server.ts / main.ts listens, tests use `app.inject()`. */
export async function buildApp(services: ApiServices, options: BuildAppOptions = {}): Promise<FastifyInstance> {
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
  if (services.http.docs) {
    await app.register(swagger, {
      openapi: {
        info: { title: 'streamrec API', version: '1', description: 'Real-time recommendations for a data marketplace. Errors: `{ error: { code, message } }` (docs/api.md).' },
        components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
      },
      transformObject: (document) => ('openapiObject' in document ? defaultedParametersOptional(document.openapiObject) : document.swaggerObject),
    });
    await app.register(swaggerUi, { routePrefix: '/docs', transformSpecification: (document) => withClockBounds(document, Date.now()), transformSpecificationClone: true });
  }
  await app.register(authPlugin, {
    authenticate: (presented) => services.authenticate(presented),
    onFailure: (reason) => services.metrics.authFailures.inc({ reason }),
    failureLimiter: new AuthFailureLimiter(services.http.authFailures),
    clock: services.clock,
  });
  await registerRateLimit(app, (key) => services.metrics.rateLimited.inc({ key }), options.rateLimitRedis);
  recommendationsRoute(app, services);
  itemRoutes(app, services);
  eventRoutes(app, services);
  operationRoutes(app, services);
  await app.ready();
  return app;
}
