import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Scope } from '../../domain/auth/api-keys.js';
import { ErrorBody, EventAccepted, EventBody, errorResponses } from '../schemas.js';
import type { ApiServices } from '../services.js';

export function eventRoutes(app: FastifyInstance, services: ApiServices): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v1/events',
    {
      config: { scope: Scope.Events },
      schema: {
        tags: ['events'],
        summary: 'Storefront beacon: one interaction into events.interactions.v1',
        description: 'Answered 202 once Kafka has the event. 503 REC_DEPENDENCY_UNAVAILABLE when Kafka cannot take it: retry with the same event_id (it counts once).',
        security: [{ apiKey: [] }],
        body: EventBody,
        response: { 202: EventAccepted, 404: ErrorBody, 413: ErrorBody, 503: ErrorBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const eventId = await services.acceptEvent(request.body);
      return reply.status(202).send({ event_id: eventId, accepted: true as const });
    },
  );
}
