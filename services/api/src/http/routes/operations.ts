import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { Scope } from '../../domain/auth/api-keys.js';
import { ErrorBody, errorResponses } from '../schemas.js';
import type { ApiServices } from '../services.js';
import { strictBodyValidator } from '../strict-body.js';

/** Liveness (public, on both listeners): the process serves HTTP. */
export function livenessRoute(app: FastifyInstance): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness: the process serves HTTP' } }, () => ({ status: 'ok' }));
}

/** Readiness and metrics (no key) and the admin endpoints (admin scope): the operations listener's routes. */
export function operationRoutes(app: FastifyInstance, services: ApiServices): void {
  app.get('/readyz', { schema: { tags: ['operations'], summary: 'Readiness: catalogue loaded, Redis and Kafka reachable, experiments loaded' } }, async (_request, reply) => {
    const report = await services.readiness();
    return reply.status(report.ready ? 200 : 503).send(report);
  });
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: true } }, async (_request, reply) => {
    const body = await services.metrics.registry.metrics();
    return reply.header('content-type', services.metrics.registry.contentType).send(body);
  });
  app.post(
    '/admin/experiments/reload',
    {
      config: { scope: Scope.Admin },
      schema: {
        tags: ['admin'],
        summary: 'Reload config/experiments.yaml now (a bad file keeps the previous config)',
        security: [{ apiKey: [] }],
        response: { 200: Type.Object({ ok: Type.Boolean(), errors: Type.Array(Type.String()), checksum: Type.Optional(Type.Union([Type.String(), Type.Null()])) }), 422: ErrorBody, ...errorResponses },
      },
    },
    async (_request, reply) => {
      const result = services.reloadExperiments();
      return reply.status(result.ok ? 200 : 422).send(result.ok ? result : { error: { code: 'REC_CONFIG_INVALID', message: 'experiments file rejected; the previous config keeps serving', details: result.errors } });
    },
  );
  app.post(
    '/admin/erasures',
    {
      config: { scope: Scope.Admin },
      validatorCompiler: strictBodyValidator,
      schema: {
        tags: ['admin'],
        summary: 'Forget what this instance keeps about these users (their last answers, in memory and on disk): the API step of npm run erase',
        security: [{ apiKey: [] }],
        body: Type.Object(
          { user_ids: Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9:_.@-]+$' }), { minItems: 1, maxItems: 1_000, description: 'User ids as the events carry them (shop id or anon:<visitor>)' }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ forgotten: Type.Integer({ minimum: 0, description: 'How many of them this instance held' }) }), 413: ErrorBody, ...errorResponses },
      },
    },
    async (request) => services.forgetUsers((request.body as { user_ids: string[] }).user_ids),
  );
  app.get(
    '/admin/status',
    { config: { scope: Scope.Admin }, schema: { tags: ['admin'], summary: 'Models, breakers, experiments, catalogue and caches', security: [{ apiKey: [] }], response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses } } },
    () => services.status(),
  );
}
