import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { AuthFailureLimiter } from '../domain/auth/auth-failure-limiter.js';
import { defaultedParametersOptional } from './openapi-document.js';
import { buildOpsApp, type OpenApiDocument } from './ops-app.js';
import { eventRoutes } from './routes/events.js';
import { itemRoutes } from './routes/items.js';
import { livenessRoute } from './routes/operations.js';
import { recommendationsRoute } from './routes/recommendations.js';
import { apiKeySecurityScheme, createServer, type BuildAppOptions } from './server.js';
import type { ApiServices } from './services.js';

export type { BuildAppOptions };

/** The API's two listeners: `api` for clients (the /v1 routes), `ops` for operators and Prometheus. */
export interface ApiApps {
  readonly api: FastifyInstance;
  readonly ops: FastifyInstance;
}

/** The OpenAPI document's header: the public API (the operations listener serves it at /docs). */
const publicDocument = {
  info: { title: 'streamrec API', version: '1', description: 'Real-time recommendations for a data marketplace. Errors: `{ error: { code, message } }` (docs/api.md).' },
  components: { securitySchemes: apiKeySecurityScheme },
};

/**
 * Builds the public app (no listen): the /v1 routes and /healthz, nothing an operator alone needs —
 * readiness, metrics, admin and the OpenAPI UI are on the operations app. Tests use `app.inject()`.
 */
export async function buildApp(services: ApiServices, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = await createServer(services, options);
  if (services.http.docs) {
    // The document is generated here, from the routes' schemas; the operations app serves it.
    await app.register(swagger, {
      openapi: publicDocument,
      transformObject: (document) => ('openapiObject' in document ? defaultedParametersOptional(document.openapiObject) : document.swaggerObject),
    });
  }
  livenessRoute(app);
  recommendationsRoute(app, services);
  itemRoutes(app, services);
  eventRoutes(app, services);
  await app.ready();
  return app;
}

/** Both apps, sharing the failed-authentication limiter (start-api.ts listens on each). */
export async function buildApps(services: ApiServices, options: BuildAppOptions = {}): Promise<ApiApps> {
  const failureLimiter = options.failureLimiter ?? new AuthFailureLimiter(services.http.authFailures);
  const api = await buildApp(services, { ...options, failureLimiter });
  const ops = await buildOpsApp(services, services.http.docs ? (api.swagger() as OpenApiDocument) : undefined, { ...options, failureLimiter });
  return { api, ops };
}
